-- The FFI used only to read a clock: ffi.cdef declares clock_gettime and gettimeofday and the structs they fill, ffi.new allocates one, ffi.C calls them, element 0's fields are read. Provably nothing else of the FFI is reached, so not WL301.

local ffi = require("ffi")

ffi.cdef[[
    typedef long time_t;
    typedef int clockid_t;
    /* seconds and nanoseconds */
    typedef struct timespec {
        time_t tv_sec;
        long tv_nsec;
    } nanotime;
    struct timeval { long tv_sec; long tv_usec; };
    int clock_gettime(clockid_t clk_id, struct timespec *tp);
    int gettimeofday(struct timeval *tv, void *tz); // tz is always NULL
]]

local C = ffi.C

local function now_ms()
   local ts = ffi.new("nanotime[?]", 1)
   C.clock_gettime(6, ts)
   return ts[0].tv_sec * 1000 + ts[0].tv_nsec / 1000000
end

local function wall_us()
   local tv = ffi.new("struct timeval")
   ffi.C.gettimeofday(tv, nil)
   return tv.tv_sec * 1000000 + tv.tv_usec
end

local started = now_ms()

function request()
   return wrk.format(nil, "/?t=" .. wall_us())
end

function done(summary, latency, requests)
   print(string.format("elapsed %d ms", now_ms() - started))
end
