-- timeline_event_state runs its statements once per event, and on a large table their cost
-- estimates pass jit_above_cost: the server then compiled each with LLVM, every call (perf: the
-- time of a bulk load's batch, 5,000 events, went to LLVM, 17 to 40 s instead of 1 s). Per event
-- it reads a few rows by key; compiling never pays.
ALTER FUNCTION timeline_event_state(integer) SET jit = off;
