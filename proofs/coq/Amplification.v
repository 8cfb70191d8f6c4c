(** * Item 3: success amplification (Thm 3) for every fixed point and every iterate n ≥ 1

    Paper ids: [thm3], [thm3-proof], [abstract-amplification], [appc-stages],
    [table1-row6-amplification] (with Δ_R = 0); the bounds p_ref < p_n ≤ h(1) < 1 used by the
    audit ([text-p1-fixed], repaired: 1 is never a fixed point when p_ref < 1).

    Reading.  Reference KL (α = 1): the map [h] of Thm 2 on [0,1].  Every variant with α ∈ (0,1]:
    the log-odds map [g W α β L_ref] of [Defs.v], with any positive weight sum [W]
    (Ω_ε for mean+variance, 1 for mean-only), started at L_0 = L_ref (π_0 = π_ref). *)

From Coq Require Import Reals Lra.
From GRPO Require Import Defs.
Open Scope R_scope.

(** [thm3] / [thm3-proof]: h(p) > p_ref for every p ∈ [0,1], β > 0, ε > 0, 0 < p_ref < 1. *)
Theorem thm3_h_gt_pref (beta eps pref p : R) :
  0 < beta -> 0 < eps -> 0 < pref < 1 -> 0 <= p <= 1 -> pref < h beta eps pref p.
Proof.
  intros Hb He Hpr Hp. pose proof (var_eps_pos eps p He Hp) as Hs.
  rewrite h_as_tilt by (exact Hpr || lra || exact Hs).
  apply logit_inj_lt; [exact Hpr|apply tilt_bounds, Hpr|].
  rewrite logit_tilt by exact Hpr.
  assert (0 < Omega eps p / beta) by (apply Rdiv_lt_0_compat; [apply Omega_pos, Hs|exact Hb]). lra.
Qed.

(** [thm3]: every fixed point p⋆ ∈ [0,1] of h satisfies p⋆ > p_ref. *)
Theorem thm3_fixed_point (beta eps pref ps : R) :
  0 < beta -> 0 < eps -> 0 < pref < 1 -> 0 <= ps <= 1 -> h beta eps pref ps = ps -> pref < ps.
Proof. intros Hb He Hpr Hp Hfix. rewrite <- Hfix. apply thm3_h_gt_pref; assumption. Qed.

(** h maps [0,1] into (0,1). *)
Lemma h_in_01 (beta eps pref p : R) : 0 < beta -> 0 < eps -> 0 < pref < 1 -> 0 <= p <= 1 ->
  0 < h beta eps pref p < 1.
Proof.
  intros Hb He Hpr Hp. rewrite h_as_tilt by (exact Hpr || lra || (apply var_eps_pos; lra)).
  apply tilt_bounds, Hpr.
Qed.

(** The orbit of Thm 2 from p_0 = p_ref. *)
Fixpoint orbit_h (beta eps pref : R) (n : nat) : R :=
  match n with O => pref | S m => h beta eps pref (orbit_h beta eps pref m) end.

Lemma orbit_h_in_01 beta eps pref n : 0 < beta -> 0 < eps -> 0 < pref < 1 ->
  0 < orbit_h beta eps pref n < 1.
Proof.
  intros Hb He Hpr. induction n; simpl; [exact Hpr|]. apply h_in_01; lra.
Qed.

(** [thm3] for every iterate: p_n > p_ref for all n ≥ 1 ([appc-stages]: each stage amplifies). *)
Theorem thm3_iterates (beta eps pref : R) (n : nat) :
  0 < beta -> 0 < eps -> 0 < pref < 1 -> pref < orbit_h beta eps pref (S n).
Proof.
  intros Hb He Hpr. simpl. apply thm3_h_gt_pref; try assumption.
  pose proof (orbit_h_in_01 beta eps pref n Hb He Hpr). lra.
Qed.

(** Upper bound: h(p) ≤ h(1) for p ∈ [0,1] (Ω_ε is largest at the ends), and h(1) < 1. *)
Theorem h_le_h1 (beta eps pref p : R) :
  0 < beta -> 0 < eps -> 0 < pref < 1 -> 0 <= p <= 1 -> h beta eps pref p <= h beta eps pref 1.
Proof.
  intros Hb He Hpr Hp. pose proof (var_eps_pos eps p He Hp) as Hs.
  assert (H1 : 0 < 1 * (1 - 1) + eps) by lra.
  rewrite !h_as_tilt by (exact Hpr || lra || assumption).
  rewrite !tilt_sigmoid by exact Hpr. apply sigmoid_le.
  assert (Omega eps p <= Omega eps 1).
  { unfold Omega. replace (1 * (1 - 1) + eps) with eps by ring.
    unfold Rdiv. rewrite !Rmult_1_l. apply Rinv_le_contravar; [apply sqrt_lt_R0, He|].
    apply sqrt_le_1_alt. nra. }
  unfold Rdiv. apply Rplus_le_compat_l, Rmult_le_compat_r; [left; apply Rinv_0_lt_compat, Hb|assumption].
Qed.

(** [text-p1-fixed] (refuted, for every parameter): 1 − h(1) > 0, so 1 is never a fixed point when
    p_ref < 1 and ε > 0; hence every fixed point satisfies p_ref < p⋆ ≤ h(1) < 1. *)
Theorem one_not_fixed (beta eps pref : R) :
  0 < beta -> 0 < eps -> 0 < pref < 1 -> 0 < 1 - h beta eps pref 1.
Proof. intros Hb He Hpr. pose proof (h_in_01 beta eps pref 1 Hb He Hpr). lra. Qed.

Theorem fixed_point_bounds (beta eps pref ps : R) :
  0 < beta -> 0 < eps -> 0 < pref < 1 -> 0 <= ps <= 1 -> h beta eps pref ps = ps ->
  pref < ps <= h beta eps pref 1 /\ h beta eps pref 1 < 1.
Proof.
  intros Hb He Hpr Hp Hfix. split; [split|].
  - apply (thm3_fixed_point beta eps); assumption.
  - rewrite <- Hfix at 1. apply h_le_h1; assumption.
  - pose proof (one_not_fixed beta eps pref Hb He Hpr). lra.
Qed.

(** Bounds on every iterate n ≥ 1: p_ref < p_n ≤ h(1) < 1. *)
Theorem iterate_bounds (beta eps pref : R) (n : nat) :
  0 < beta -> 0 < eps -> 0 < pref < 1 ->
  pref < orbit_h beta eps pref (S n) <= h beta eps pref 1.
Proof.
  intros Hb He Hpr. split; [apply thm3_iterates; assumption|].
  simpl. pose proof (orbit_h_in_01 beta eps pref n Hb He Hpr). apply h_le_h1; lra.
Qed.

(** ------------------------------------------------------------------ *)
(** ** Every variant with α ∈ (0,1], in log-odds *)

Fixpoint orbit_g (W : R -> R) (alpha beta Lref L0 : R) (n : nat) : R :=
  match n with O => L0 | S m => g W alpha beta Lref (orbit_g W alpha beta Lref L0 m) end.

(** [abstract-amplification] / [table1-row6-amplification]: any fixed point of g with α > 0 and a
    positive weight sum lies above L_ref: α (L⋆ − L_ref) = W/β > 0. *)
Theorem amplification_fixed_point_g (W : R -> R) (alpha beta Lref Ls : R) :
  0 < alpha -> 0 < beta -> 0 < W (sigmoid Ls) -> g W alpha beta Lref Ls = Ls -> Lref < Ls.
Proof.
  intros Ha Hb HW Hfix. unfold g in Hfix.
  assert (0 < W (sigmoid Ls) / beta) by (apply Rdiv_lt_0_compat; assumption).
  assert (alpha * (Ls - Lref) > 0) by lra.
  destruct (Rle_lt_dec Ls Lref) as [Hle|Hlt]; [|exact Hlt].
  assert (0 <= alpha * (Lref - Ls)) by (apply Rmult_le_pos; lra). lra.
Qed.

(** Every iterate n ≥ 1 from L_0 ≥ L_ref: L_n − L_ref ≥ (1−α)(L_{n−1} − L_ref) + W/β > 0
    ([thm9-amplification] with Δ_R = 0). *)
Theorem amplification_iterates_g (W : R -> R) (alpha beta Lref L0 : R) (n : nat) :
  0 < alpha <= 1 -> 0 < beta -> (forall x, 0 < W x) -> Lref <= L0 ->
  Lref < orbit_g W alpha beta Lref L0 (S n).
Proof.
  intros Ha Hb HW H0.
  assert (Hall : forall m, Lref <= orbit_g W alpha beta Lref L0 m /\ Lref < orbit_g W alpha beta Lref L0 (S m)).
  { induction m as [|m [IH1 IH2]].
    - split; [exact H0|]. simpl. unfold g.
      assert (0 < W (sigmoid L0) / beta) by (apply Rdiv_lt_0_compat; [apply HW|exact Hb]).
      assert (0 <= (1 - alpha) * (L0 - Lref)) by (apply Rmult_le_pos; lra). nra.
    - split; [lra|]. simpl. simpl in IH2. unfold g at 1.
      set (Lm := g W alpha beta Lref (orbit_g W alpha beta Lref L0 m)) in *.
      assert (0 < W (sigmoid Lm) / beta) by (apply Rdiv_lt_0_compat; [apply HW|exact Hb]).
      assert (0 <= (1 - alpha) * (Lm - Lref)) by (apply Rmult_le_pos; lra). nra. }
  apply Hall.
Qed.
