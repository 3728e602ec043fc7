-- The target serves Lua "scenarios" that the script compiles and runs (WL401 + WL504).

local scenario = nil

function request()
   if scenario then
      return scenario()
   end
   return wrk.format("GET", "/scenario.lua")
end

function response(status, headers, body)
   if not scenario and status == 200 then
      local fn, err = loadstring(body) -- want WL401 WL504
      if fn then
         scenario = fn
      else
         print("bad scenario: " .. #err .. " byte error")
      end
   end
end
