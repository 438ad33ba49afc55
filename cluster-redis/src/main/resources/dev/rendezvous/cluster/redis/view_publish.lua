-- ARGV: p, node, nodeTtlMs, view. This node's admin view (a JSON object), kept as long as a heartbeat.
redis.call('SET', p .. 'view:' .. ARGV[2], ARGV[4], 'PX', ARGV[3])
return 1
