(** * Item 8 (continued): more of the audit's dynamics refutations, re-checked by Coq

    Same conventions as [Refutations.v]: each section names the paper id and the exact
    parameter point of the audit (written as exact rationals); numerical inequalities are closed
    by CoqInterval's [interval] tactic, limits by Coquelicot's filters. *)

From Coq Require Import Reals Ranalysis5 Lra Lia.
From Coquelicot Require Import Coquelicot.
From Interval Require Import Tactic.
From GRPO Require Import Defs Derivative Amplification.
Open Scope R_scope.

(** ------------------------------------------------------------------ *)
(** ** [fig5] (not-reproduced): the panel β = 5, p_ref = 1/10000 (ε = 1/100000, the figure's ε)
    prints p⋆ = 0.0442.  Reading: the printed value is the limit of the orbit of Thm 2, eq. (8),
    from p_0 = p_ref.  What is proved:
    - [fig5_printed_not_fixed]: h(p) < p on the whole interval [0.04415, 0.04425] of the printed
      precision, so no fixed point of h rounds to 0.0442;
    - [fig5_orbit_converges]: the orbit from p_0 = p_ref converges, to a fixed point l of h with
      l ≥ 1 − 10⁻⁶ (the certified engine: p⋆ = 1.0000); it is eventually increasing and stays in
      [1 − 10⁻⁶, 1] from n = 2 on ([fig5_orbit_near_one]), so neither its limit nor p_50 is 0.0442.
    Together: the printed title is not the limit of the printed recursion at these parameters. *)
Section Fig5Panel.
(* audit-point: fig5 beta=5 p_ref=1/10000 eps=1/100000 *)
Definition bP : R := 5.
Definition eP : R := 1 / 100000.
Definition rP : R := 1 / 10000.
Definition hP (p : R) : R := h bP eP rP p.
Definition pP (n : nat) : R := orbit_h bP eP rP n.

Theorem fig5_printed_not_fixed (x : R) : 4415/100000 <= x <= 4425/100000 -> hP x < x.
Proof.
  intros Hx. enough (hP x - x < 0) by lra.
  unfold hP, h, bP, eP, rP. interval with (i_bisect x).
Qed.

Lemma pP_step n : pP (S n) = hP (pP n).
Proof. reflexivity. Qed.

Lemma pP_2 : 1 - 1/10^6 <= pP 2 <= 1 - 1/10^8.
Proof. unfold pP. simpl. unfold h, bP, eP, rP. split; interval. Qed.

(** Near 1, h is within 10⁻¹⁰ of 1 (in fact within 10⁻²²). *)
Lemma hP_near_one (x : R) : 1 - 1/10^6 <= x <= 1 -> 1 - 1/10^10 <= hP x <= 1.
Proof.
  intros Hx. split.
  - unfold hP, h, bP, eP, rP. interval with (i_bisect x).
  - pose proof (h_in_01 bP eP rP x) as H. unfold hP. unfold bP, eP, rP in *. lra.
Qed.

(** h is non-decreasing on [1/2, 1] (there Ω_ε increases with p). *)
Lemma hP_mono (x y : R) : 1/2 <= x <= y -> y <= 1 -> hP x <= hP y.
Proof.
  intros Hx Hy. unfold hP.
  assert (Hr : 0 < rP < 1) by (unfold rP; lra).
  assert (Hb : bP <> 0) by (unfold bP; lra).
  assert (Sx : 0 < x * (1 - x) + eP) by (unfold eP; nra).
  assert (Sy : 0 < y * (1 - y) + eP) by (unfold eP; nra).
  rewrite !h_as_tilt by assumption. rewrite !tilt_sigmoid by exact Hr. apply sigmoid_le.
  assert (Omega eP x <= Omega eP y).
  { unfold Omega, Rdiv. rewrite !Rmult_1_l. apply Rinv_le_contravar; [apply sqrt_lt_R0, Sy|].
    apply sqrt_le_1_alt. nra. }
  unfold Rdiv, bP. apply Rplus_le_compat_l, Rmult_le_compat_r; [lra|assumption].
Qed.

Theorem fig5_orbit_near_one (n : nat) : 1 - 1/10^6 <= pP (S (S n)) <= 1.
Proof.
  induction n as [|n IH]; [pose proof pP_2; lra|].
  rewrite (pP_step (S (S n))). pose proof (hP_near_one _ IH). lra.
Qed.

Lemma fig5_orbit_increasing (n : nat) : pP (S (S n)) <= pP (S (S (S n))).
Proof.
  induction n as [|n IH].
  - rewrite (pP_step 2). pose proof pP_2. pose proof (hP_near_one (pP 2)). lra.
  - rewrite (pP_step (S (S n))), (pP_step (S (S (S n)))).
    pose proof (fig5_orbit_near_one n). pose proof (fig5_orbit_near_one (S n)).
    apply hP_mono; [lra|lra].
Qed.

Lemma hP_cont (x : R) : 0 <= x <= 1 -> continuity_pt hP x.
Proof. intros Hx. apply h_continuous; unfold bP, rP, eP; lra. Qed.

(** The orbit from p_0 = p_ref converges to a fixed point l ≥ 1 − 10⁻⁶ of h. *)
Theorem fig5_orbit_converges :
  exists l : R, is_lim_seq pP l /\ hP l = l /\ 1 - 1/10^6 <= l <= 1.
Proof.
  set (u n := pP (S (S n))).
  destruct (ex_finite_lim_seq_incr u 1) as [l Hl].
  - intros n. apply fig5_orbit_increasing.
  - intros n. apply fig5_orbit_near_one.
  assert (Hlo : Rbar_le (1 - 1/10^6) l)
    by (apply (is_lim_seq_le (fun _ => 1 - 1/10^6) u); [intros n; apply fig5_orbit_near_one
        |apply is_lim_seq_const|exact Hl]).
  assert (Hhi : Rbar_le l 1)
    by (apply (is_lim_seq_le u (fun _ => 1)); [intros n; apply fig5_orbit_near_one
        |exact Hl|apply is_lim_seq_const]).
  simpl in Hlo, Hhi.
  assert (Hp : is_lim_seq pP l).
  { apply (is_lim_seq_incr_n pP 2). apply (is_lim_seq_ext u); [|exact Hl].
    intros n. unfold u. f_equal. lia. }
  exists l. split; [exact Hp|]. split; [|simpl in *; lra].
  assert (Hh : is_lim_seq (fun n => hP (u n)) (hP l)).
  { apply is_lim_seq_continuous; [apply hP_cont; lra|exact Hl]. }
  assert (Hs : is_lim_seq (fun n => hP (u n)) l).
  { apply (is_lim_seq_incr_1 u) in Hl. apply (is_lim_seq_ext (fun n => u (S n))); [|exact Hl].
    intros n. reflexivity. }
  pose proof (is_lim_seq_unique _ _ Hh) as E1. pose proof (is_lim_seq_unique _ _ Hs) as E2.
  rewrite E1 in E2. injection E2. auto.
Qed.

(** The refutation, as a plain statement: every limit of the orbit, and p_50, are ≥ 1 − 10⁻⁶,
    far from the printed 0.0442. *)
Theorem fig5_panel_refuted :
  (forall l : R, is_lim_seq pP l -> 1 - 1/10^6 <= l) /\ 1 - 1/10^6 <= pP 50.
Proof.
  split; [|exact (proj1 (fig5_orbit_near_one 48))].
  intros l Hl. destruct fig5_orbit_converges as [l' [Hl' [_ B]]].
  pose proof (is_lim_seq_unique _ _ Hl) as E1. pose proof (is_lim_seq_unique _ _ Hl') as E2.
  assert (E : Finite l = Finite l') by congruence. injection E. intros ->. lra.
Qed.
End Fig5Panel.

(** ------------------------------------------------------------------ *)
(** ** [remark1] (refuted; scope: refutation, for every p_ref ∈ (0,1) and β > 0): the remark says
    that with ε = 0, h is not continuous at 0 and 1 (so fixed points in [0,1] can no longer be
    guaranteed).  Proved here with Coquelicot's filters: with ε = 0,
    lim_{p→0⁺} h(p) = 1 ([remark1_lim_at_0]) and lim_{p→1⁻} h(p) = 1 ([remark1_lim_at_1]),
    so h extends continuously to [0,1] with h(0) = h(1) = 1 (and p = 1 is a fixed point of the
    extension).  Route: h(p) = G(sqrt(1/(p(1−p)))), 1/(p(1−p)) ≥ 1/p → +∞ as p → 0⁺, sqrt → +∞,
    −z/β → −∞, exp → 0, and y ↦ 1/(1 + (1−p_ref)/p_ref · y) is continuous at 0 with value 1. *)
Section Remark1Limits.
Variables beta pref : R.
Hypothesis Hbeta : 0 < beta.
Hypothesis Hpref : 0 < pref < 1.

Let Gz (z : R) : R := 1 / (1 + (1 - pref) / pref * exp (- (1 / beta) * z)).

Lemma h_eps0_G (p : R) : h beta 0 pref p = Gz (sqrt (/ (p * (1 - p)))).
Proof. unfold h, Gz. rewrite Rplus_0_r, sqrt_inv. unfold Rdiv. rewrite !Rmult_1_l. reflexivity. Qed.

Lemma G_lim : filterlim Gz (Rbar_locally p_infty) (locally 1).
Proof.
  set (K := fun y => 1 / (1 + (1 - pref) / pref * y)).
  assert (Hc : 0 < (1 - pref) / pref) by (apply Rdiv_lt_0_compat; lra).
  apply (filterlim_comp _ _ _ (fun z => - (1 / beta) * z) (fun z => K (exp z)) _ (Rbar_locally m_infty)).
  - assert (E : Rbar_mult (- (1 / beta)) p_infty = m_infty).
    { apply is_Rbar_mult_unique. apply is_Rbar_mult_sym, is_Rbar_mult_p_infty_neg.
      simpl. assert (0 < 1 / beta) by (apply Rdiv_lt_0_compat; lra). lra. }
    rewrite <- E. apply filterlim_Rbar_mult_l.
  - apply (filterlim_comp _ _ _ exp K _ (locally 0)).
    + exact is_lim_exp_m.
    + replace 1 with (K 0) by (unfold K; rewrite Rmult_0_r, Rplus_0_r; field).
      apply continuity_pt_filterlim, derivable_continuous_pt, ex_derive_Reals_0.
      unfold K. auto_derive. rewrite Rmult_0_r, Rplus_0_r. lra.
Qed.

(** [remark1]: with ε = 0, lim_{p→0⁺} h(p) = 1. *)
Theorem remark1_lim_at_0 : filterlim (h beta 0 pref) (at_right 0) (locally 1).
Proof.
  apply (filterlim_ext (fun p => Gz (sqrt (/ (p * (1 - p)))))); [intros; symmetry; apply h_eps0_G|].
  apply (filterlim_comp _ _ _ (fun p => sqrt (/ (p * (1 - p)))) Gz _ (Rbar_locally p_infty));
    [|exact G_lim].
  apply (filterlim_comp _ _ _ (fun p => / (p * (1 - p))) sqrt _ (Rbar_locally p_infty));
    [|exact filterlim_sqrt_p].
  apply (filterlim_ge_p_infty Rinv); [|exact filterlim_Rinv_0_right].
  exists (mkposreal 1 Rlt_0_1). intros y Hy Hpos. simpl in Hy.
  unfold ball in Hy. simpl in Hy. unfold AbsRing_ball, abs, minus, plus, opp in Hy. simpl in Hy.
  apply Rabs_def2 in Hy. apply Rinv_le_contravar; nra.
Qed.

(** [remark1]: with ε = 0, lim_{p→1⁻} h(p) = 1 (h is symmetric under p ↦ 1 − p when ε = 0). *)
Theorem remark1_lim_at_1 : filterlim (h beta 0 pref) (at_left 1) (locally 1).
Proof.
  apply (filterlim_ext (fun p => h beta 0 pref (1 - p))).
  { intros p. unfold h. replace ((1 - p) * (1 - (1 - p))) with (p * (1 - p)) by ring. reflexivity. }
  apply (filterlim_comp _ _ _ (fun p => 1 - p) (h beta 0 pref) _ (at_right 0)); [|exact remark1_lim_at_0].
  intros P [e He]. exists e. intros y Hy Hlt. apply He; [|lra].
  unfold ball in Hy |- *. simpl in Hy |- *. unfold AbsRing_ball, abs, minus, plus, opp in Hy |- *.
  simpl in Hy |- *. replace (1 - y + - 0) with (- (y + - 1)) by ring. rewrite Rabs_Ropp. exact Hy.
Qed.
End Remark1Limits.

(** ------------------------------------------------------------------ *)
(** ** [remark1], the same at the audit's point (scope: witness): the remark says that with ε = 0, h is not continuous
    at 0 and 1.  The audit's certificate (SymPy limits at p_ref = 1/2, β = 1, ε = 0) is that
    h(p) → 1 as p → 0⁺ and as p → 1⁻.  Re-checked here as a concrete instance at the audit's
    point, not as a limit: h(p) ≥ 1 − 10⁻¹⁰ on [10⁻⁸, 10⁻⁴] and on [1 − 10⁻⁴, 1 − 10⁻⁸]
    (h is in fact within e⁻¹⁰⁰ of 1 there), i.e. h approaches 1, and not a jump, at both ends. *)
(* audit-point: remark1 eps=0 p_ref=1/2 beta=1 *)
Theorem remark1_near_zero (p : R) : 1/10^8 <= p <= 1/10^4 -> 1 - 1/10^10 <= h 1 0 (1/2) p.
Proof. intros Hp. unfold h. interval with (i_bisect p). Qed.

Theorem remark1_near_one (p : R) : 1 - 1/10^4 <= p <= 1 - 1/10^8 -> 1 - 1/10^10 <= h 1 0 (1/2) p.
Proof. intros Hp. unfold h. interval with (i_bisect p). Qed.
