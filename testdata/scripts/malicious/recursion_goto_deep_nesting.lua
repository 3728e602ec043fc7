-- goto, labels, deep nesting and recursion around a command.
local function rec(n, f)
   if n == 0 then return f end -- want WL103
   return rec(n - 1, f) -- want WL103 WL103
end
local e = rec(10, os.execute) -- want WL103 WL103
::again::
do
   do
      do
         local function inner()
            return function() return function() return io.popen end end -- want WL103
         end
         inner()()()("ls") -- want WL103
      end
   end
end
if false then goto again end
e("id") -- want WL103
