-- chat/get first pages on the demo archive (zoomchat demo --rate-limits off), cycling through its
-- sessions and a few windows so that no single response is served over and over.
-- wrk -t2 -c64 -d15s -s bench/wrk/demo-chat-get.lua http://127.0.0.1:5080
local sessions = {
  "9f3c2a61-5b7e-4d0a-8c1f-2e6b7a9d4c10", "1b8e4f27-93d5-4a6c-b0e2-7c5d1f8a3e92",
  "c47a9d03-2e1f-4b8c-9a5d-6f0e3b7c1d48", "5e2d8b14-7f6a-4c3e-a1b9-0d4f8e2c6a75",
  "e8a1c5f9-0b3d-4e7a-9c2f-5a6d1b8e4f03", "7d0f0000-1a2b-4c3d-8e9f-0002c0ffee00",
  "7d0f0001-1a2b-4c3d-8e9f-0104c0ffee00", "7d0f0002-1a2b-4c3d-8e9f-0307c0ffee00",
}
local windows = {
  { "2016-01-16", "2016-01-22" }, { "2016-01-04", "2016-01-31" },
  { "2016-02-01", "2016-02-29" }, { "2016-01-18T08:00:00Z", "2016-01-18T18:00:00Z" },
}
local credentials = "api_key=demo-api-key&api_secret=demo-api-secret&access_token=demo-access-token"
local counter = 0

request = function()
  counter = counter + 1
  local session = sessions[(counter % #sessions) + 1]
  local window = windows[(math.floor(counter / #sessions) % #windows) + 1]
  local body = credentials .. "&session_id=" .. session .. "&from=" .. window[1] .. "&to=" .. window[2]
  return wrk.format("POST", "/v1/chat/get", { ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("errors: %d non-2xx/3xx, p50 %.2f ms, p99 %.2f ms\n",
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
