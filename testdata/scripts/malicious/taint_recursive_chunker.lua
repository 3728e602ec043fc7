-- A recursive helper splits bodies into chunks that are written out (WL501): summaries reach a fixed point.

local function chunks(s, n, acc)
   if #s <= n then
      acc[#acc + 1] = s
      return acc
   end
   acc[#acc + 1] = s:sub(1, n)
   return chunks(s:sub(n + 1), n, acc)
end

function response(status, headers, body)
   if status ~= 200 then
      local parts = chunks(body, 64, {})
      for i = 1, #parts do
         io.write(parts[i], "\n") -- want WL501
      end
      io.write(#parts, " chunks\n")
   end
end
