"""The runtime's named parts, which `barker.gateway.StoreGateway` composes for services:

- `executors`: where store calls run (reader threads, the writer thread, checkpointing) and the store
  health each of those hops reports to;
- `announcer`: telling listeners what committed writes changed (batched per loop turn), and the jobs
  doorbell a worker waits on (rung in this process or, for a separate worker, through the bus);
- `leases`: the id generator's node lease.

The bounded CPU pools (password hashing, image workers) are `barker.pools`. The runtime imports no service.
"""
