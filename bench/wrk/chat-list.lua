-- chat/list over 30-day windows (whole UTC days) spread over each account's years, first pages,
-- without email. ZOOMCHAT_BENCH_LIST_EMAIL=1 (or chat-list-email.lua) adds the email filter.
--   ZOOMCHAT_BENCH_TARGETS=bench/data/.../targets.lua wrk -t2 -c64 -d15s -s bench/wrk/chat-list.lua http://127.0.0.1:5090
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local bench = dofile(dir .. "common.lua")
local targets
local with_email = (with_email_override ~= nil) and with_email_override or os.getenv("ZOOMCHAT_BENCH_LIST_EMAIL") == "1"

function setup(thread) bench.setup(thread) end

function init(args)
  targets = bench.load_targets()
  bench.seed()
end

function request()
  local account = bench.pick(targets.accounts)
  local from, to = bench.window_around(account.first_ms, account.last_ms - 29 * 86400000, 30)
  local fields = { "from", from, "to", to }
  if with_email then
    -- Half busy users (in many sessions), half quiet ones.
    local emails = math.random() < 0.5 and account.busy_emails or account.quiet_emails
    if #emails == 0 then emails = account.busy_emails end
    table.insert(fields, "email")
    table.insert(fields, bench.pick(emails))
  end
  return bench.post(targets, "/chat/list", bench.form(account, fields))
end

done = bench.done(with_email and "chat/list 30 days, email" or "chat/list 30 days", bench.install_checks("chat_list"))
