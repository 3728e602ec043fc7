-- Credentials the script decodes itself from constants: reversed, hex, base64 literals, string.char maps, XOR-ed byte tables.
local form = "!9Wt4Zp7Rx2Lm8Qv=drowssap&tsetdaol-cvs=emanresu" -- want WL601
wrk.body = form:reverse()
local blob = "6768705f36634232623870446c6c796445515a52574758633245703045336c48784969626d524c79" -- want WL601
local b64 = "QmVhcmVyIGV5SmhiR2NpT2lKSVV6STFOaUlzSW5SNWNDSTZJa3BYVkNKOS5leUp6ZFdJaU9pSXhNak0wSW4wLlNmbEt4d1JKU01lS0tGMlFUNGZ3cE1lSmYzNlBPazZ5SlZfYWRRc3N3NWM=" -- want WL601
local key = string.char(65, 75, 73, 65, 73, 79, 83, 70, 79, 68, 78, 78, 55, 82, 69, 65, 76, 75, 69, 89) -- want WL601
wrk.headers["X-Key"] = key
local sealed = {27, 17, 19, 27, 19, 21, 9, 28, 21, 30, 20, 20, 109, 31, 2, 27, 23, 10, 22, 28} -- want WL601
local function unseal(t) local out = {} for i = 1, #t do out[i] = string.char(bit.bxor(t[i], 0x5A)) end return table.concat(out) end
wrk.headers["X-Amz-Key"] = unseal(sealed)
