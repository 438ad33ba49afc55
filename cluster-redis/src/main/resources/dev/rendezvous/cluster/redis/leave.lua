-- ARGV: p, node. A node leaving gracefully: whatever it still holds departs; its heartbeat goes.
forget_node(ARGV[2])
redis.call('DEL', p .. 'node:' .. ARGV[2])
return 1
