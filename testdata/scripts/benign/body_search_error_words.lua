-- Bodies searched for a fixed list of error words and for one expected string from the command line: counts of fixed tests, not pieces of the body.
local words = { "timeout", "denied", "unavailable", "error" }
local seen = {}
local expected
local mismatches = 0
local report

function init(args)
  expected = args[1] or "ok"
end

function response(status, headers, body)
  for _, w in ipairs(words) do
    if body:find(w, 1, true) then
      seen[w] = (seen[w] or 0) + 1
    end
  end
  if not body:find(expected, 1, true) then
    mismatches = mismatches + 1
  end
  if (seen.error or 0) % 1000 == 999 then report() end
  count_cache(headers)
end

function report()
  for _, w in ipairs(words) do
    print(w, seen[w] or 0)
  end
  print("mismatches", mismatches)
end

-- A header compared with the script's own constants and with its earlier value.
local modes = { "HIT", "MISS", "STALE" }
local cache, last_etag, etag_changes = {}, nil, 0
function count_cache(headers)
  for _, m in ipairs(modes) do
    if headers["X-Cache"] == m then cache[m] = (cache[m] or 0) + 1 end
  end
  if headers["ETag"] ~= last_etag then etag_changes = etag_changes + 1 end
  last_etag = headers["ETag"]
  if etag_changes % 100 == 0 then print("cache", cache.HIT, cache.MISS, etag_changes) end
end
