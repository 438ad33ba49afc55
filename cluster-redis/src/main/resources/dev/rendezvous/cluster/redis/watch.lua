-- A node keeps messages for `id` (of `scope`), held nowhere: ARRIVE tells it when `id` registers.
-- Key: watch:<id>  set of node ids, PX the node's expire timeout. ARGV: p, node, id, scope, ttlMs.
-- 1 = `id` is held under `scope` already (deliver again), 0 = watching.
local v = redis.call('GET', p .. 'id:' .. ARGV[3])
if v then
  local _, room = split2(v)
  if room == ARGV[4] then return 1 end
end
redis.call('SADD', p .. 'watch:' .. ARGV[3], ARGV[2])
redis.call('PEXPIRE', p .. 'watch:' .. ARGV[3], ARGV[5])
return 0
