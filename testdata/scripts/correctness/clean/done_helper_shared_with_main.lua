-- Clean: a table filled by a function the main chunk also calls exists in the main state.
routes = {}

local function add(path)
   routes[#routes + 1] = path
end

add("/")
add("/login")

function response(status, headers, body)
   if headers["Location"] then add(headers["Location"]) end
end

function done()
   print(#routes .. " routes")
end
