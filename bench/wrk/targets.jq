# The load scripts' targets (a Lua table) from the generator's sidecar (.meta.json) and the accounts'
# credentials ($creds): written by bench/run.sh, bench/soak.sh and bench/crash.sh alike.
#   jq -r --slurpfile creds <(jq -s . credentials.json) -f bench/wrk/targets.jq archive.meta.json
  ($creds[0] | map({(.account): .}) | add) as $c
  | "return {\n  prefix = \"/v1\",\n  accounts = {\n"
    + ([.accounts[] | . as $a | $c[$a.account] as $k
        | "    { name = \($a.account | tojson), credentials = \("api_key=\($k.api_key)&api_secret=\($k.api_secret)&access_token=\($k.access_token)" | tojson), first_ms = \($a.first_ms), last_ms = \($a.last_ms),\n"
          + "      busy_emails = { \($a.busy_emails | map(tojson) | join(", ")) },\n"
          + "      quiet_emails = { \($a.quiet_emails | map(tojson) | join(", ")) } },\n"] | join(""))
    + "  },\n  sessions = {\n"
    + ([.accounts | to_entries[] | (.key + 1) as $n | .value as $a
        | (($a.big_sessions[] | {kind: "big", s: .}), ($a.medium_sessions[] | {kind: "medium", s: .}), ($a.sample_sessions[] | {kind: "sample", s: .}))
        | "    { account = \($n), kind = \"\(.kind)\", id = \(.s.session_id | tojson), messages = \(.s.messages), first_ms = \(.s.first_ms), last_ms = \(.s.last_ms) },\n"] | join(""))
    + "  },\n}\n"
