-- ARGV: p, me, claimTtlMs. Every known node whose heartbeat expired is claimed (SET NX) and cleaned
-- up: its clients depart (peers and rooms are told). Atomic, so each dead node is cleaned exactly once.
local me = ARGV[2]
local cleaned = {}
for _, n in ipairs(redis.call('SMEMBERS', p .. 'nodes')) do
  if n ~= me and redis.call('EXISTS', p .. 'node:' .. n) == 0 then
    if redis.call('SET', p .. 'claim:' .. n, me, 'NX', 'PX', ARGV[3]) then
      forget_node(n)
      table.insert(cleaned, n)
    end
  end
end
return cleaned
