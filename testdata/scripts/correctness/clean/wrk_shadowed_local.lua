-- Clean: a local table named wrk is not wrk's table.
local wrk = { url = "/", requests = 10 }
print(wrk.url, wrk.requests)
