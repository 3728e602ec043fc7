-- The exit status says whether the run passed: computed from counters, a constant test of the body or a whole environment flag, it reveals no data.
local strict = os.getenv("STRICT") == "1" -- want WL201
local failures, total = 0, 0

function response(status, headers, body)
  total = total + 1
  if status >= 500 or body:find("\"error\"", 1, true) then
    failures = failures + 1
  end
  if #body == 0 and strict then
    os.exit(3)
  end
end

function done(summary, latency, requests)
  local errs = summary.errors.status + summary.errors.timeout
  if strict and errs > 0 then
    os.exit(1)
  end
  os.exit(errs > 100 and 2 or 0)
end
