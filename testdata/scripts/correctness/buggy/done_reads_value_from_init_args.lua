-- WL803: init(args) runs in each thread's state; done() never sees the label it sets.
label = "unnamed"

function init(args)
   label = args[1] or "unnamed"
end

function done(summary)
   print(label .. ": " .. summary.requests .. " requests") -- want WL803
end
