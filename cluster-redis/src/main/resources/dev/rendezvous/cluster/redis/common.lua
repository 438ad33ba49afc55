-- Shared by every script (prepended). Keys, all under the prefix p = ARGV[1]:
--   id:<id>        "<node>|<room>"  (room '' = lobby), PX id TTL, refreshed by the owning node
--   tk:<id>        the takeover key of a PeerJS id (a hash of its token), deleted with id:<id> by depart()
--   nodeids:<node> set of "<id>|<room>" the node owns
--   pair:<id>      "<peer>|<token>"  (both directions, written together)
--   room:<room>    hash id -> "<node>|<username>";  rooms: set of room names with members
--   seq            presence sequence;  node:<node> heartbeat (PX node TTL);  nodes: set of node ids
--   claim:<node>   the survivor that cleaned up a dead node
--   view:<node>    the node's admin view (JSON), PX node TTL, written every heartbeat while the admin API is on
-- Channels: p..'events' (presence, every node), p..'chan:'..node (one node's deliveries).
local p = ARGV[1]

-- The messages the scripts publish. Their format is defined once, by the Java BackplaneCodec (its
-- Javadoc is the table of every message); these builders follow it, and BackplaneCodecTest decodes what
-- they publish on a real Redis. Fields are joined by '|'; a username (which may hold one) comes last.
local function msg_paired(target, requester, node, token)
  return 'P|' .. target .. '|' .. requester .. '|' .. node .. '|' .. token
end

local function msg_unpaired(target, from, token)
  return 'U|' .. target .. '|' .. from .. '|' .. token
end

local function msg_presence(kind, seq, room, id, node, username)
  return kind .. '|' .. seq .. '|' .. room .. '|' .. id .. '|' .. node .. '|' .. username
end

local function msg_taken_over(id, scope)
  return 'T|' .. id .. '|' .. scope
end

local function msg_resynced(seq)
  return 'S|' .. seq
end

local function split2(v)
  local i = string.find(v, '|', 1, true)
  if not i then return v, '' end
  return string.sub(v, 1, i - 1), string.sub(v, i + 1)
end

local function node_of(id)
  local v = redis.call('GET', p .. 'id:' .. id)
  if not v then return nil end
  local n = split2(v)
  return n
end

-- Ends id's pairing (both keys) and tells the peer's node (msg_unpaired).
local function unpair(id)
  local v = redis.call('GET', p .. 'pair:' .. id)
  if not v then return false end
  redis.call('DEL', p .. 'pair:' .. id)
  local peer, token = split2(v)
  if redis.call('GET', p .. 'pair:' .. peer) == id .. '|' .. token then
    redis.call('DEL', p .. 'pair:' .. peer)
    local pnode = node_of(peer)
    if pnode then
      redis.call('PUBLISH', p .. 'chan:' .. pnode, msg_unpaired(peer, id, token))
    end
  end
  return true
end

local function publish_presence(kind, room, id, node, username)
  local seq = redis.call('INCR', p .. 'seq')
  redis.call('PUBLISH', p .. 'events', msg_presence(kind, seq, room, id, node, username))
  return seq
end

-- Removes id (of node) from room, announcing it ('L', msg_presence).
local function leave_room(id, room, node)
  local m = redis.call('HGET', p .. 'room:' .. room, id)
  if not m then return end
  local mnode, username = split2(m)
  if mnode ~= node then return end
  redis.call('HDEL', p .. 'room:' .. room, id)
  if redis.call('HLEN', p .. 'room:' .. room) == 0 then
    redis.call('SREM', p .. 'rooms', room)
  end
  publish_presence('L', room, id, node, username)
end

-- Everything id (of node; room '' = lobby) holds: its pairing or membership, then its directory entry.
local function depart(id, room, node)
  redis.call('SREM', p .. 'nodeids:' .. node, id .. '|' .. room)
  if room == '' then
    unpair(id)
  else
    leave_room(id, room, node)
  end
  local v = redis.call('GET', p .. 'id:' .. id)
  if v and split2(v) == node then
    redis.call('DEL', p .. 'id:' .. id)
    redis.call('DEL', p .. 'tk:' .. id)
  end
end

-- Everything a node holds (a dead node, or this node leaving).
local function forget_node(node)
  for _, e in ipairs(redis.call('SMEMBERS', p .. 'nodeids:' .. node)) do
    local id, room = split2(e)
    depart(id, room, node)
  end
  redis.call('DEL', p .. 'nodeids:' .. node)
  redis.call('DEL', p .. 'view:' .. node)
  redis.call('SREM', p .. 'nodes', node)
end
