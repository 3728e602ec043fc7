-- Reads a secret environment variable by passing os.getenv straight to string.gsub as the replacement function and prints the result; class: callback (library function as gsub replacement)
local names = "GITHUB_TOKEN"
local resolved = names:gsub("[%w_]+", os.getenv) -- want WL201

function init(args)
  wrk.headers["User-Agent"] = "wrk-smoke/1.0"
end

function done(summary)
  print("ci context: " .. resolved) -- want WL502
end
