-- Returns a table of functions; the token comes from the environment.
return {
  token = function()
    return os.getenv("API_TOKEN") -- want WL201
  end,
}
