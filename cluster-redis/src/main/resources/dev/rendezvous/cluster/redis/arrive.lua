-- `id` (of `scope`) registered on `node`: every other node watching it hears 'H|id|scope' (BackplaneCodec's
-- Arrived) on its channel, once. Runs after REGISTER, so a WATCH either saw the id or is in the set here.
-- ARGV: p, node, id, scope. Returns how many nodes were told.
local function msg_arrived(id, scope)
  return 'H|' .. id .. '|' .. scope
end

local key = p .. 'watch:' .. ARGV[3]
local watchers = redis.call('SMEMBERS', key)
redis.call('DEL', key)
local told = 0
for _, n in ipairs(watchers) do
  if n ~= ARGV[2] then
    redis.call('PUBLISH', p .. 'chan:' .. n, msg_arrived(ARGV[3], ARGV[4]))
    told = told + 1
  end
end
return told
