-- The LuaJIT bit module: 32-bit results, number conversion.
local vals = {0, 1, -1, 2^31, 2^31 - 1, -2^31, 2^32, 2^32 + 5, 2^52, 2^53, 1.5, -1.5, 2.5, -2.5, 0.5,
  3.7, 1e10, -1e10, 0x12345678, 0xdeadbeef, 0xffffffff, 1/0, -1/0, 0/0, 2^63, "12", "0x10"}
for i, v in ipairs(vals) do
  print(i, tostring(v), bit.tobit(v), bit.bnot(v), bit.bswap(v), bit.tohex(v), bit.tohex(v, -8), bit.tohex(v, 4))
end
local shifts = {0, 1, 4, 31, 32, 33, -1, 64, 100}
for _, n in ipairs(shifts) do
  print(n, bit.lshift(1, n), bit.rshift(-1, n), bit.arshift(-256, n), bit.rol(0x12345678, n), bit.ror(0x12345678, n), bit.lshift(0x7fffffff, n))
end
print(bit.band(0xff, 0x0f, 0x3), bit.bor(1, 2, 4, 8), bit.bxor(0xff, 0x0f), bit.band(-1), bit.bor(5), bit.bxor(1, 1, 1))
print(bit.tohex(1, 0), bit.tohex(1, 9), bit.tohex(-1, 100):len(), bit.tohex(255, 2), bit.tohex(255, -2), bit.tohex(0, 0), bit.tohex(0), bit.tohex(0x1234, 16), bit.tohex(1, 255), bit.tohex(1, 256), bit.tohex(1, 257))
print(pcall(bit.band))
print(pcall(bit.band, "x"))
print(pcall(bit.band, 1, {}))
print(pcall(bit.tohex))
print(pcall(bit.lshift, 1))
print(pcall(bit.tobit))
print(bit.tobit(0x80000000) == -2^31, bit.tobit(4294967295))
print(bit.band(0xF0F0F0F0, 0xFF00FF00), bit.bor(0xF0000000, 0x0F), bit.bxor(0xFFFFFFFF, 0x1))
local h = 0
for i = 1, 100 do h = bit.bxor(bit.lshift(h, 5) + h, i) h = bit.band(h, 0xffffffff) end
print("hash", h, bit.tohex(h))
