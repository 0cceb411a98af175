-- wrk script: each connection waits PACE_MS (10) between requests, so C connections offer about C * 1000 / PACE_MS
-- requests per second (less the response time): wrk -c20 -s bench/paced.lua gives about 2,000 req/s.
local pace = tonumber(os.getenv("PACE_MS") or "10")

function delay()
  return pace
end
