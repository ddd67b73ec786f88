/**
 * Structure-level cascade dynamics of CPB section 3: D1 Motter–Lai load redistribution on
 * shortest-path betweenness (exact Brandes or Brandes–Pich pivot sampling), D2 Watts threshold
 * contagion and D6 Galton–Watson branching. Kernels run on primitive arrays and are deterministic
 * for a given seed.
 */
package io.aura.cascade.dynamics;
