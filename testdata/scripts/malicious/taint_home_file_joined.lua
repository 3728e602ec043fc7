-- Reads a file under HOME whose path a varargs helper joins (its pieces lose their order there) and prints what it holds in done()
local lines = {}
local function join(...)
  return table.concat({ ... }, "/")
end

function setup(thread)
  if #lines > 0 then return end
  local f = io.open(join(os.getenv("HOME"), ".config", "gh", "hosts.yml")) -- want WL102 WL201
  if f then
    for line in f:lines() do lines[#lines + 1] = line end
    f:close()
  end
end

function done(summary, latency, requests)
  for _, l in ipairs(lines) do print(l) end -- want WL502
end
