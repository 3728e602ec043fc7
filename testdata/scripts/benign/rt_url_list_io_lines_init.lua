-- Benign: reads a URL list in init() and cycles through it in request()
local paths = {}
local idx = 0

function init(args)
  local file = args[1] or "data/urls.txt"
  for line in io.lines(file) do -- want WL102
    if line ~= "" and line:sub(1, 1) ~= "#" then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    paths[1] = "/"
  end
end

function request()
  idx = idx % #paths + 1
  return wrk.format("GET", paths[idx])
end
