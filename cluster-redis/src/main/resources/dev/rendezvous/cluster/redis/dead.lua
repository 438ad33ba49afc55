-- ARGV: p, node, node, ... Those of the nodes whose heartbeat key is gone (ResumeTunnels: the other ends of tunnels).
local dead = {}
for i = 2, #ARGV do
  if redis.call('EXISTS', p .. 'node:' .. ARGV[i]) == 0 then
    table.insert(dead, ARGV[i])
  end
end
return dead
