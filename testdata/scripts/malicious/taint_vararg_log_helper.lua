-- Leaks through helper functions, string methods and error().
local function log(...) io.stderr:write(table.concat({ ... }, " "), "\n") end -- want WL501 WL502
function response(status, headers, body)
   local auth = headers["Authorization"]
   log("auth", auth)
   local piece = body:upper():sub(1, 10)
   log(piece)
end
function done()
   log(os.getenv("GITHUB_TOKEN")) -- want WL201
end
