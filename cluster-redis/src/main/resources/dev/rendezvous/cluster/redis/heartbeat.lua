-- ARGV: p, node, nodeTtlMs, idTtlMs. 0 = this node's registration is gone (cleaned up, or Redis lost its data).
local node = ARGV[2]
if not redis.call('SET', p .. 'node:' .. node, '1', 'XX', 'PX', ARGV[3]) then return 0 end
redis.call('SADD', p .. 'nodes', node)
for _, e in ipairs(redis.call('SMEMBERS', p .. 'nodeids:' .. node)) do
  local id = split2(e)
  redis.call('PEXPIRE', p .. 'id:' .. id, ARGV[4])
end
return 1
