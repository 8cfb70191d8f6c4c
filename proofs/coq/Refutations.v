(** * Item 8: the audit's refutations of dynamics claims, re-checked by Coq

    Each section names the paper id, the exact parameter point of the audit's certificate
    (grpo-symbolic audit --json: evidence.certificate.point) and proves the refutation.  Every
    numerical inequality is closed by CoqInterval's [interval] tactic (interval arithmetic with
    bisection, rigorous outward rounding); the surrounding logic (orbits, limits, IVT, chain
    rule) is ordinary Coq.  The parameters are written as exact rationals. *)

From Coq Require Import Reals Ranalysis5 Lra Lia.
From Coquelicot Require Import Coquelicot.
From Interval Require Import Tactic.
From GRPO Require Import Defs Derivative Amplification.
Open Scope R_scope.

(** ------------------------------------------------------------------ *)
(** ** [abstract-convergence] (refuted), [fig5-text]: β = 5, p_ref = 1/1000, ε = 1/100000
    (audit point: beta=5, p_ref=0.001, eps=1e-5).  The orbit of Thm 2 from p_0 = p_ref does
    not converge: it alternates between K = [1/1000, 76/10000] and K' = [98/10000, 36/100].
    It is attracted by a 2-cycle (IVT + chain rule), and the interior fixed point is repelling. *)
Section CycleBeta5.
(* audit-point: abstract-convergence beta=5 p_ref=1/1000 eps=1/100000 *)
Definition b5 : R := 5.
Definition e5 : R := 1 / 100000.
Definition r5 : R := 1 / 1000.
Definition h5 (p : R) : R := h b5 e5 r5 p.

Lemma K_to_K' (x : R) : 1/1000 <= x <= 76/10000 -> 98/10000 <= h5 x <= 36/100.
Proof. intros Hx. unfold h5, h, b5, e5, r5. split; interval with (i_bisect x, i_depth 20). Qed.

Lemma K'_to_K (x : R) : 98/10000 <= x <= 36/100 -> 1/1000 <= h5 x <= 76/10000.
Proof. intros Hx. unfold h5, h, b5, e5, r5. split; interval with (i_bisect x, i_depth 20). Qed.

Lemma orbit5_step n : orbit_h b5 e5 r5 (S n) = h5 (orbit_h b5 e5 r5 n).
Proof. reflexivity. Qed.

Theorem orbit5_alternates (n : nat) :
  1/1000 <= orbit_h b5 e5 r5 (2 * n) <= 76/10000
  /\ 98/10000 <= orbit_h b5 e5 r5 (S (2 * n)) <= 36/100.
Proof.
  induction n as [|n [IH1 IH2]].
  - simpl. split; [unfold r5; lra|]. apply K_to_K'. unfold r5; lra.
  - replace (2 * S n)%nat with (S (S (2 * n))) by lia.
    assert (H : 1/1000 <= orbit_h b5 e5 r5 (S (S (2 * n))) <= 76/10000)
      by (rewrite orbit5_step; apply K'_to_K, IH2).
    split; [exact H|]. rewrite orbit5_step. apply K_to_K', H.
Qed.

(** The refutation: (p_n) has no limit (consecutive terms stay 22/10000 apart). *)
Theorem abstract_convergence_refuted (l : R) : ~ is_lim_seq (orbit_h b5 e5 r5) l.
Proof.
  intros Hl. apply is_lim_seq_spec in Hl.
  destruct (Hl (mkposreal (1/1000) ltac:(lra))) as [N HN]. simpl in HN.
  pose proof (orbit5_alternates N) as [H1 H2].
  assert (A : Rabs (orbit_h b5 e5 r5 (2 * N) - l) < 1/1000) by (apply HN; lia).
  assert (B : Rabs (orbit_h b5 e5 r5 (S (2 * N)) - l) < 1/1000) by (apply HN; lia).
  apply Rabs_def2 in A. apply Rabs_def2 in B. lra.
Qed.

(** The attracting 2-cycle: a point x of [23/10000, 24/10000] with h(h(x)) = x, h(x) ≠ x, and
    multiplier (h∘h)'(x) = h'(h(x)) h'(x) of modulus < 1. *)
Lemma h5_derive (x : R) : 0 <= x <= 1 -> is_derive h5 x (dh b5 e5 r5 x).
Proof.
  intros Hx. apply prop12_derivative; unfold b5, r5; try lra. apply var_eps_pos; unfold e5; lra.
Qed.

Lemma h5_in_01 (x : R) : 0 <= x <= 1 -> 0 <= h5 x <= 1.
Proof. intros Hx. pose proof (h_in_01 b5 e5 r5 x) as H. unfold b5, e5, r5 in *. unfold h5, b5, e5, r5. lra. Qed.

Lemma h5_cont (x : R) : 0 <= x <= 1 -> continuity_pt h5 x.
Proof.
  intros Hx. apply derivable_continuous_pt. exists (dh b5 e5 r5 x).
  apply is_derive_Reals, h5_derive, Hx.
Qed.

Lemma hh5_derive (x : R) : 0 <= x <= 1 ->
  is_derive (fun y => h5 (h5 y)) x (dh b5 e5 r5 (h5 x) * dh b5 e5 r5 x).
Proof.
  intros Hx. rewrite Rmult_comm.
  apply (is_derive_comp h5 h5 x); [apply h5_derive, h5_in_01, Hx|apply h5_derive, Hx].
Qed.

Lemma I1_to_I2 (x : R) : 23/10000 <= x <= 24/10000 -> 558/10000 <= h5 x <= 607/10000.
Proof. intros Hx. unfold h5, h, b5, e5, r5. split; interval with (i_bisect x). Qed.

Lemma dh_I1 (x : R) : 23/10000 <= x <= 24/10000 -> Rabs (dh b5 e5 r5 x) <= 52.
Proof. intros Hx. unfold dh, h, b5, e5, r5. interval with (i_bisect x). Qed.

Lemma dh_I2 (y : R) : 558/10000 <= y <= 607/10000 -> Rabs (dh b5 e5 r5 y) <= 176/10000.
Proof. intros Hy. unfold dh, h, b5, e5, r5. interval with (i_bisect y). Qed.

Lemma hh5_sign_lo : 23/10000 - h5 (h5 (23/10000)) < 0.
Proof. unfold h5, h, b5, e5, r5. interval. Qed.
Lemma hh5_sign_hi : 0 < 24/10000 - h5 (h5 (24/10000)).
Proof. unfold h5, h, b5, e5, r5. interval. Qed.

Theorem attracting_two_cycle :
  exists x, 23/10000 <= x <= 24/10000 /\ h5 (h5 x) = x /\ h5 x <> x
    /\ is_derive (fun y => h5 (h5 y)) x (dh b5 e5 r5 (h5 x) * dh b5 e5 r5 x)
    /\ Rabs (dh b5 e5 r5 (h5 x) * dh b5 e5 r5 x) < 1.
Proof.
  destruct (IVT_interv (fun y => y - h5 (h5 y)) (23/10000) (24/10000)) as [x [Hx Hz]].
  - intros a Ha. apply continuity_pt_minus; [apply continuity_pt_id|].
    apply (continuity_pt_comp h5 h5 a); [apply h5_cont; lra|apply h5_cont, h5_in_01; lra].
  - lra.
  - exact hh5_sign_lo.
  - exact hh5_sign_hi.
  - exists x. pose proof (I1_to_I2 x Hx) as H2.
    split; [exact Hx|]. split; [lra|]. split; [intros E; lra|]. split; [apply hh5_derive; lra|].
    rewrite Rabs_mult. pose proof (dh_I2 (h5 x) H2). pose proof (dh_I1 x Hx).
    pose proof (Rabs_pos (dh b5 e5 r5 (h5 x))). pose proof (Rabs_pos (dh b5 e5 r5 x)).
    nra.
Qed.

(** The interior fixed point p⋆ ∈ [85/10000, 87/10000] is repelling: |h'(p⋆)| > 1. *)
Lemma fp5_sign_lo : 0 < h5 (85/10000) - 85/10000.
Proof. unfold h5, h, b5, e5, r5. interval. Qed.
Lemma fp5_sign_hi : h5 (87/10000) - 87/10000 < 0.
Proof. unfold h5, h, b5, e5, r5. interval. Qed.
Lemma dh_near_fp (x : R) : 85/10000 <= x <= 87/10000 -> 1 < Rabs (dh b5 e5 r5 x).
Proof. intros Hx. unfold dh, h, b5, e5, r5. interval with (i_bisect x). Qed.

Theorem repelling_fixed_point :
  exists ps, 85/10000 <= ps <= 87/10000 /\ h5 ps = ps /\ 1 < Rabs (dh b5 e5 r5 ps).
Proof.
  destruct (IVT_interv (fun y => y - h5 y) (85/10000) (87/10000)) as [x [Hx Hz]].
  - intros a Ha. apply continuity_pt_minus; [apply continuity_pt_id|apply h5_cont; lra].
  - lra.
  - pose proof fp5_sign_lo. lra.
  - pose proof fp5_sign_hi. lra.
  - exists x. split; [exact Hx|]. split; [lra|]. apply dh_near_fp, Hx.
Qed.
End CycleBeta5.

(** ------------------------------------------------------------------ *)
(** ** [table1-row5-contraction] (refuted): the two-KL log-odds map is neither affine nor a
    contraction.  Audit points: affine: L = 9/5000, α = 43/1000, β = 730000, ε = 723/5000
    (p_ref = 1/100000); contraction: α = 1/2, β = 2, ε = 1/1000, p_ref = 1/100000. *)
Section TwoKL.
(* audit-point: table1-row5-contraction L=9/5000 alpha=43/1000 beta=730000 eps=723/5000 *)
Definition gA (L : R) : R := g (Omega (723/5000)) (43/1000) 730000 (logit (1/100000)) L.

(** A non-zero second difference: no a, b with g(L) = a + b L for all L. *)
Lemma gA_second_difference : 0 < gA (9/5000 + 1) + gA (9/5000 - 1) - 2 * gA (9/5000).
Proof. unfold gA, g, Omega, sigmoid, logit. interval with (i_prec 100). Qed.

Theorem two_kl_not_affine : ~ exists a b, forall L, gA L = a + b * L.
Proof.
  intros [a [b Hab]]. pose proof gA_second_difference as H.
  rewrite !Hab in H. lra.
Qed.

(* audit-point: table1-row5-contraction alpha=1/2 beta=2 eps=1/1000 p_ref=1/100000 *)
Definition gC (L : R) : R := g (Omega (1/1000)) (1/2) 2 (logit (1/100000)) L.

Lemma gC_expands : 1/10 < Rabs (gC (-41/10) - gC (-4)).
Proof. unfold gC, g, Omega, sigmoid, logit. interval. Qed.

(** Not a contraction: no k < 1 with |g(x) − g(y)| ≤ k |x − y| for all x, y. *)
Theorem two_kl_not_contraction : ~ exists k, k < 1 /\ forall x y, Rabs (gC x - gC y) <= k * Rabs (x - y).
Proof.
  intros [k [Hk H]]. specialize (H (-41/10) (-4)). pose proof gC_expands.
  replace (-41/10 - -4) with (-1/10) in H by field. rewrite (Rabs_left (-1/10)) in H by lra. lra.
Qed.
End TwoKL.

(** ------------------------------------------------------------------ *)
(** ** [text-p1-fixed] (refuted): 1 − h(1) > 0 at the audit point p_ref = 13/25000000,
    β = 1000, ε = 823/2000, and at the paper's Fig. 5 values β = 1, p_ref = 1/5, ε = 1/100000
    where 1 − h(1) ≈ 1.8e-137 (700-bit interval arithmetic).  The general statement is
    [Amplification.one_not_fixed]. *)
(* audit-point: text-p1-fixed p_ref=13/25000000 beta=1000 eps=823/2000 *)
Theorem text_p1_fixed_refuted : 0 < 1 - h 1000 (823/2000) (13/25000000) 1.
Proof. unfold h. interval. Qed.

Theorem text_p1_fixed_refuted_fig5 : 0 < 1 - h 1 (1/100000) (1/5) 1.
Proof. unfold h. interval with (i_prec 700). Qed.

(** ------------------------------------------------------------------ *)
(** ** [thm3-boundary] (refuted): with p_ref = 0 the map (odds form, defined at p_ref = 0) is the
    constant 0, so its slope is 0 and the fixed point 0 is stable for every β > 0 (audit point:
    p_ref = 0, β = 1e-6, ε = 1e-5, p = 0); likewise p_ref = 1 gives the constant 1. *)
(* audit-point: thm3-boundary p_ref=0 beta=1/1000000 eps=1/100000 p=0 *)
Theorem thm3_boundary_refuted (beta eps p : R) :
  (forall q, tilt 0 (Omega eps q / beta) = 0) /\ is_derive (fun q => tilt 0 (Omega eps q / beta)) p 0
  /\ (forall q, tilt 1 (Omega eps q / beta) = 1) /\ is_derive (fun q => tilt 1 (Omega eps q / beta)) p 0.
Proof.
  split; [intros; apply tilt_zero|]. split.
  { apply is_derive_ext with (f := fun _ => 0); [intros; symmetry; apply tilt_zero|exact (is_derive_const 0 p)]. }
  split; [intros; apply tilt_one|].
  apply is_derive_ext with (f := fun _ => 1); [intros; symmetry; apply tilt_one|exact (is_derive_const 1 p)].
Qed.

Corollary thm3_boundary_audit_point :
  is_derive (fun q => tilt 0 (Omega (1/100000) q / (1/1000000))) 0 0.
Proof. exact (proj1 (proj2 (thm3_boundary_refuted (1/1000000) (1/100000) 0))). Qed.

(** ------------------------------------------------------------------ *)
(** ** Certified witnesses (not refutations) re-checked the same way *)

(** [table1-row5-nonmonotone] / [sec4-two-kl] / [takeaway-ref-mixing]: p_2 < p_1 for two KL at
    α = 1/2, β = 2, ε = 1/1000, p_ref = 1/1000, from L_0 = L_ref. *)
(* audit-point: table1-row5-nonmonotone alpha=1/2 beta=2 eps=1/1000 p_ref=1/1000 *)
Definition gN (L : R) : R := g (Omega (1/1000)) (1/2) 2 (logit (1/1000)) L.

Lemma gN_L1 : 427/100 < gN (logit (1/1000)) < 428/100.
Proof. unfold gN, g, Omega, sigmoid, logit. split; interval. Qed.

Lemma gN_L2 (x : R) : 427/100 <= x <= 428/100 -> gN x < 427/100.
Proof. intros Hx. unfold gN, g, Omega, sigmoid, logit. interval with (i_bisect x). Qed.

Theorem two_kl_decreasing_step : gN (gN (logit (1/1000))) < gN (logit (1/1000)).
Proof. pose proof gN_L1. pose proof (gN_L2 (gN (logit (1/1000)))). lra. Qed.

(** [text-nonunique]: h has three fixed points at β = 1, p_ref = 1/5, ε = 1/100000 (sign changes of
    h − id on [1/2, 4/5], [4/5, 99/100] and [99/100, 1]). *)
(* audit-point: text-nonunique beta=1 p_ref=1/5 eps=1/100000 *)
Definition hF (p : R) : R := h 1 (1/100000) (1/5) p.

Lemma hF_cont (x : R) : 0 <= x <= 1 -> continuity_pt hF x.
Proof.
  intros Hx. apply derivable_continuous_pt. exists (dh 1 (1/100000) (1/5) x).
  apply is_derive_Reals. apply prop12_derivative; try lra. apply var_eps_pos; lra.
Qed.

Lemma hF_s1 : 1/2 - hF (1/2) < 0.            Proof. unfold hF, h. interval. Qed.
Lemma hF_s2 : 0 < 4/5 - hF (4/5).            Proof. unfold hF, h. interval. Qed.
Lemma hF_s3 : 99/100 - hF (99/100) < 0.      Proof. unfold hF, h. interval. Qed.
Lemma hF_s4 : 0 < 1 - hF 1.                  Proof. unfold hF, h. interval with (i_prec 700). Qed.

Lemma hF_fixed_in (a b : R) : 0 <= a -> a < b -> b <= 1 -> a - hF a < 0 -> 0 < b - hF b ->
  exists x, a <= x <= b /\ hF x = x.
Proof.
  intros Ha Hab Hb Hsa Hsb.
  destruct (IVT_interv (fun y => y - hF y) a b) as [x [Hx Hz]]; try assumption.
  - intros c Hc. apply continuity_pt_minus; [apply continuity_pt_id|apply hF_cont; lra].
  - exists x. split; [exact Hx|lra].
Qed.

Theorem three_fixed_points :
  exists x1 x2 x3, x1 < x2 < x3 /\ hF x1 = x1 /\ hF x2 = x2 /\ hF x3 = x3.
Proof.
  destruct (hF_fixed_in (1/2) (4/5)) as [x1 [H1 F1]]; try lra; [exact hF_s1|exact hF_s2|].
  destruct (hF_fixed_in (99/100) 1) as [x3 [H3 F3]]; try lra; [exact hF_s3|exact hF_s4|].
  destruct (IVT_interv (fun y => hF y - y) (4/5) (99/100)) as [x2 [H2 F2]].
  - intros c Hc. apply continuity_pt_minus; [apply hF_cont; lra|apply continuity_pt_id].
  - lra.
  - pose proof hF_s2. lra.
  - pose proof hF_s3. lra.
  - exists x1, x2, x3. assert (x1 <> 4/5) by (intros ->; pose proof hF_s2; lra).
    assert (x2 <> 99/100) by (intros ->; pose proof hF_s3; lra).
    repeat split; lra.
Qed.
