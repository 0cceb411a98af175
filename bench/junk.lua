-- wrk script: requests for JUNK_LIMIT distinct junk paths (default 10,000), every tenth with a junk method of its own,
-- then the same ones again; JUNK_OFFSET picks another set. The app must record all of them under its fixed set of
-- label values.
local limit = tonumber(os.getenv("JUNK_LIMIT") or "10000")
local offset = tonumber(os.getenv("JUNK_OFFSET") or "0") -- another offset, another set of paths and methods
local n = 0

request = function()
  n = n + 1
  local i = offset + n % limit
  local method = "GET"
  if i % 10 == 0 then
    method = "JUNK" .. i
  end
  return wrk.format(method, "/junk/" .. i .. "/" .. string.format("%x", i * 7919))
end
