-- Returns a function that writes its argument.
return function(msg)
  io.write(msg, "\n") -- want WL502
end
