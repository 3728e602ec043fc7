-- The exit status as an output channel: a code computed from a secret or from response data is printed by CI and readable by any caller (WL502, WL501).
local token = os.getenv("API_TOKEN") -- want WL201

-- One byte of the secret per run, as the status.
local index, bit = 1, 0
function init(args)
  index, bit = tonumber(args[2]) or 1, tonumber(args[3]) or 0
  if args[1] == "probe" then
    os.exit(token:byte(index)) -- want WL502 "exit status"
  end
end

-- A bit of the secret chosen by a test, exit codes as constants.
local function leak_bit(i, bit)
  if math.floor(token:byte(i) / 2 ^ bit) % 2 == 1 then
    os.exit(1) -- want WL502
  end
end

-- The status byte taken from the body, through an alias of os.exit.
local quit = os.exit
function response(status, headers, body)
  leak_bit(index, bit)
  local first = body:sub(1, 1)
  quit(string.byte(first)) -- want WL501
end
