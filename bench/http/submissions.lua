-- wrk script for POST /api/submissions: every request a fresh, valid submission of its own (a client UUID never
-- sent before, a child who has not answered yet), every FLAGGED_EVERY'th one a positive screen (an alert).
--
--   wrk -t2 -c200 -d25s --timeout 2s -s bench/http/submissions.lua http://127.0.0.1:8000 \
--       -- CODES RUN_ID LOG_PREFIX 2 FIRST
--
-- CODES: setup_data.py's file (the join code, then one child's code a line); thread n of t takes the children
-- n, n+t, n+2t, ... so no two requests name the same child. RUN_ID (a number) makes the UUIDs of this run unique.
-- Then wrk's -t, and the index of the first child to use (a warm-up takes children the run does not).
-- The UUID of every 201 reply goes to LOG_PREFIX<thread>.log for check.py.

local FLAGGED_EVERY = 20
local CALM = '{"m1": 2, "m2": 1, "m3": 2, "m4": 1, "worry": 0}'
local WORRIED_NOW = '{"m1": 2, "m2": 1, "m3": 2, "m4": 1, "worry": 1, "worry_now": 1}'

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local lines = {}
  for line in io.lines(args[1]) do table.insert(lines, line) end
  join_code = lines[1]
  run_id = tonumber(args[2])
  log = io.open(args[3] .. tid .. ".log", "w")
  log:setvbuf("line")
  all_codes = lines
  nthreads = tonumber(args[4])
  first = tonumber(args[5] or "0")
  sent = 0
  counts = {}
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local index = 2 + first + tid + sent * nthreads
  local code = all_codes[index]
  if code == nil then
    error("out of children: register more with setup_data.py --respondents")
  end
  sent = sent + 1
  local uuid = string.format("%08x-%04x-4000-8000-%012x", run_id, tid, sent)
  local answers = (sent % FLAGGED_EVERY == 0) and WORRIED_NOW or CALM
  local body = '{"uuid": "' .. uuid .. '", "join_code": "' .. join_code .. '", "respondent_code": "' .. code ..
      '", "instrument": "mood", "version": "1.0", "language": "ru", "assent": true, "answers": ' .. answers .. '}'
  return wrk.format(nil, "/api/submissions", nil, body)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if status == 201 then
    log:write(string.match(body, '"uuid": ?"([0-9a-f-]+)"'), "\n")
  end
end

function done(summary, latency, requests)
  local statuses = {}
  for _, thread in ipairs(threads) do
    local per_thread = thread:get("counts")
    for status, number in pairs(per_thread) do statuses[status] = (statuses[status] or 0) + number end
  end
  local text = {}
  for status, number in pairs(statuses) do table.insert(text, string.format('"%d": %d', status, number)) end
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p90_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
    '"connect": %d, "read": %d, "write": %d, "status_errors": %d, "timeout": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, errors.connect, errors.read, errors.write, errors.status,
    errors.timeout, table.concat(text, ", ")))
end
