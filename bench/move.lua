-- wrk script: one POST /api/move per request, the same valid mid-game position every time (the API is stateless).
-- The level comes from the environment: LEVEL=perfect wrk -s bench/move.lua ...
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"board": "X...O....", "cell": 8, "level": "' .. (os.getenv("LEVEL") or "perfect") .. '"}'

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
