-- Clean: global functions named exit, node, set, idle or reset are far from every hook.
function exit() end
function node() end
function set() end
function idle() end
function reset() end
