-- LuaJIT-only syntax and library behaviour in a wrk script, at run time.
local n = 0x1p4 + 0b11
local s = "\x41\u{42}\z
           C"
function init(args)
  print(n, s, #args, ("%5.1f|%q"):format(n / 3, s .. "\n"))
  local f = io.open("/dev/null")
  print(io.type(f), f.close(f), io.type(f), io.close())
  print(pcall(io.close, io.stdout))
  print(bit.band(0xff, 0x0f), bit.tohex(-1), tostring(nil), tonumber("0x10"), tonumber(" 1e2 "))
end
request = function()
  return wrk.format("GET", "/syntax/" .. n .. s)
end
