-- wrk script: GET with the Accept header from the environment: ACCEPT="text/plain" wrk -s bench/accept.lua URL
wrk.headers["Accept"] = os.getenv("ACCEPT") or "*/*"
