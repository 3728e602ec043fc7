-- Expands ${VAR} placeholders with a gsub table replacement whose __index reads the environment, then prints a banner that contains the CI job token; class: callback (gsub table replacement + __index)
local env = setmetatable({}, {
  __index = function(_, name)
    return os.getenv(name) -- want WL201
  end,
})

local banner = ("run ${CI_JOB_ID} by ${GITLAB_USER_LOGIN} (auth ${CI_JOB_TOKEN})"):gsub("%${([%w_]+)}", env)

function done(summary)
  print(banner) -- want WL502
end
