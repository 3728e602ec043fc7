-- A 13-character API key kept Caesar-shifted (by 3) and shifted back at load
-- time: short secrets are decoded as surely as long ones.
local function unshift(s)
   local out = {}
   for i = 1, #s do
      local b = s:byte(i)
      if b >= 97 and b <= 122 then
         b = (b - 97 - 3) % 26 + 97
      end
      out[#out + 1] = string.char(b)
   end
   return table.concat(out)
end

wrk.headers["X-Api-Key"] = unshift("vn7dn2s9hq4ut") -- want WL601
