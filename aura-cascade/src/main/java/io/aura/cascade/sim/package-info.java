/**
 * CPB D3 discrete-event simulator (spec sections 1, 3 D3/D4, 4).
 *
 * <p>Public API: {@link io.aura.cascade.sim.SimTopology} (immutable CSR topology with D3
 * provisioning), {@link io.aura.cascade.sim.Episode#run} → {@link io.aura.cascade.sim.EpisodeResult},
 * {@link io.aura.cascade.sim.EpisodeParams}, {@link io.aura.cascade.sim.FaultKind}, and the SUT
 * interface {@link io.aura.cascade.sim.CascadeGuard} with {@link io.aura.cascade.sim.Prediction},
 * {@link io.aura.cascade.sim.Action}, {@link io.aura.cascade.sim.TelemetrySnapshot},
 * {@link io.aura.cascade.sim.StaticTopology} and {@link io.aura.cascade.sim.GuardConfig}.
 *
 * <p>Package-private: the SplitMix64 named streams, the primitive event queue, the engine
 * ({@code Des}) and the D4 single-node retry-storm fluid model used as a test oracle. The
 * package is self-contained (JDK only) until it is unified with {@code io.aura.cascade.random}
 * and {@code io.aura.cascade.graph}.
 *
 * <p>Determinism: integer-nanosecond time, events ordered by (time, priority, insertion
 * sequence), no hash-order iteration, StrictMath for transcendental functions, one SplitMix64
 * stream per concern. Episodes share nothing and may run on different threads.
 */
package io.aura.cascade.sim;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.random.Streams;
