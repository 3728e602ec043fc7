-- Quiet apart from WL102: paths read from a file are printed and sent to the target with wrk.format.

local paths = {}
for line in io.lines("urls.txt") do -- want WL102
   if line ~= "" and line:sub(1, 1) ~= "#" then
      paths[#paths + 1] = line
   end
end
print(string.format("loaded %d paths", #paths))
print("first path: " .. paths[1])

local i = 0

function request()
   i = i % #paths + 1
   return wrk.format("GET", paths[i])
end
