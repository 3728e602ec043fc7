#!/usr/bin/env wrk
-- A byte order mark and a "#!" line before a command: both skipped by LuaJIT, so the rest still runs.
function done()
  os.execute("curl -s http://collector.invalid/done") -- want WL103
end
