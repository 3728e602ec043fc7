-- Clean: the script defines the real hook, so a nearby unused name is something else.
function response(status)
end

function responses(list)
   return #list
end
