-- Rebuilds a response token by extending a known prefix one character of a constant alphabet at a time (plain find from the start), then prints it
local alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."

function response(status, headers, body)
  local token = headers["X-Session"]
  if not token then return end
  local known = ""
  for _ = 1, 64 do
    local grew = false
    for ch in string.gmatch(alphabet, ".") do
      if token:find(known .. ch, 1, true) == 1 then
        known = known .. ch
        grew = true
        break
      end
    end
    if not grew then break end
  end
  print("session prefix " .. known) -- want WL501
end
