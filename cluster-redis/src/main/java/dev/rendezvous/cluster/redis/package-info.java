/**
 * The Redis backplane: {@link dev.rendezvous.cluster.redis.RedisHub} makes several server nodes one
 * system. Redis holds the id directory, pairings and room membership (written by Lua scripts, so each
 * decision is atomic); delivery between nodes goes over Redis pub/sub, one channel per node; presence
 * changes go over one channel every node reads, numbered so a node that missed one notices and
 * re-reads the rooms. Clients on the same node talk to each other without Redis.
 *
 * <p>One class per job: {@code RedisHub} is the {@code Hub} façade; {@code BackplaneConnection} the
 * connections, the scripts ({@code Script}) and the backplane loop; {@code BackplaneMessage} a record per
 * message between nodes and {@code BackplaneCodec} their one format (the scripts write it too);
 * {@code RoomReplica} the replica of every room (sequence, gaps, snapshots); {@code ClusterPairs} lobby
 * pairings across nodes; {@code CrossNodeRelay} delivery of relayed frames;
 * {@code DirectDelivery} delivery by id and arrival watches (the PeerJS endpoint); {@code NodeLiveness}
 * heartbeats, cleanup of dead nodes and writing this node's state again; {@code LocalClients} this
 * node's clients, each a {@code LocalClient} (the hub's entry for its session); {@code ResumeTunnels}
 * resume (v1.1) on another node than the session's owner, through a tunnel over the two nodes' channels.
 *
 * <p>Threading: {@code RedisHub}'s {@code Hub} methods are called from event loops and never block.
 * Everything that changes this node's view of the cluster (replies of scripts, messages from other
 * nodes, the heartbeat) runs on one thread of its own, the backplane loop, in arrival order; the relay
 * path reads that view through concurrent maps.
 */
package dev.rendezvous.cluster.redis;
