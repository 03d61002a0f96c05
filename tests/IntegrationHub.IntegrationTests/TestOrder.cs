// Every test class here shares one broker and its queues; some run a hub process of their own, which
// must not compete with the shared hub for hub.inbound. Collections therefore run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
