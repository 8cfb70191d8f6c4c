(** * Definitions shared by every proof (arXiv 2503.06639v4, §0 of STATEMENTS.md)

    Everything here is a plain definition over Coq's real numbers: no axiom, no
    parameter.  The names follow the paper:

    - [sigmoid], [logit]                         : σ and logit (§0);
    - [wplus], [wminus], [Omega]                 : ω⁺_ε, ω⁻_ε, Ω_ε (eq. (4), Prop. 1.3);
    - [h]                                        : h_{ε,p_ref} exactly as printed in Thm 2, eq. (8);
    - [tilt q x]                                 : the PoS of the Gibbs policy whose anchor has
                                                   PoS [q] and whose log-odds shift is [x]
                                                   (the formula of Thm 8's proof);
    - [g]                                        : the log-odds map of the package
                                                   (grpo_symbolic/exact/logit_map.py):
                                                   g(L) = α L_ref + (1-α) L + Ω/β.

    Reading: [eps] is the smoothing ε > 0 of eq. (4), [beta] the KL strength β > 0,
    [pref] the reference PoS p_ref. *)

From Coq Require Import Reals Lra.
Open Scope R_scope.

Definition sigmoid (x : R) : R := 1 / (1 + exp (- x)).
Definition logit (p : R) : R := ln (p / (1 - p)).

(** eq. (4): mean+variance weights with ε inside the square root. *)
Definition wplus  (eps p : R) : R := (1 - p) / sqrt (p * (1 - p) + eps).
Definition wminus (eps p : R) : R := p / sqrt (p * (1 - p) + eps).
(** Prop. 1.3: their sum. *)
Definition Omega (eps p : R) : R := 1 / sqrt (p * (1 - p) + eps).

(** Thm 2, eq. (8), as printed. *)
Definition h (beta eps pref p : R) : R :=
  1 / (1 + (1 - pref) / pref * exp (- (1 / beta) * (1 / sqrt (p * (1 - p) + eps)))).

(** The PoS [q e^x / (q e^x + 1 - q)] of an anchor of PoS [q] tilted by [e^x] on successes. *)
Definition tilt (q x : R) : R := q * exp x / (q * exp x + (1 - q)).

(** The PoS map of every variant in log-odds (α = 1: reference KL, α = 0: mirror);
    [W] is the weight sum Ω as a function of the PoS (Ω_ε, or 1 for mean-only). *)
Definition g (W : R -> R) (alpha beta Lref L : R) : R :=
  alpha * Lref + (1 - alpha) * L + W (sigmoid L) / beta.

(** ------------------------------------------------------------------ *)
(** ** Basic facts *)

Lemma exp_neg_pos (x : R) : 0 < exp (- x).
Proof. apply exp_pos. Qed.

Lemma sigmoid_bounds (x : R) : 0 < sigmoid x < 1.
Proof.
  unfold sigmoid. pose proof (exp_pos (- x)). split.
  - apply Rdiv_lt_0_compat; lra.
  - apply (Rmult_lt_reg_r (1 + exp (- x))); [lra|].
    field_simplify; lra.
Qed.

Lemma one_minus_sigmoid (x : R) : 1 - sigmoid x = exp (- x) / (1 + exp (- x)).
Proof. unfold sigmoid. pose proof (exp_pos (- x)). field. lra. Qed.

Lemma sigmoid_logit (p : R) : 0 < p < 1 -> sigmoid (logit p) = p.
Proof.
  intros Hp. unfold sigmoid, logit.
  rewrite <- ln_Rinv by (apply Rdiv_lt_0_compat; lra).
  rewrite exp_ln.
  2: { apply Rinv_0_lt_compat, Rdiv_lt_0_compat; lra. }
  field. lra.
Qed.

Lemma logit_sigmoid (x : R) : logit (sigmoid x) = x.
Proof.
  unfold logit. rewrite one_minus_sigmoid. unfold sigmoid.
  pose proof (exp_pos (- x)).
  replace (1 / (1 + exp (- x)) / (exp (- x) / (1 + exp (- x)))) with (/ exp (- x)).
  2: { field. lra. }
  rewrite <- exp_Ropp, Ropp_involutive, ln_exp. reflexivity.
Qed.

Lemma sigmoid_increasing (x y : R) : x < y -> sigmoid x < sigmoid y.
Proof.
  intros Hxy. unfold sigmoid.
  assert (exp (- y) < exp (- x)) by (apply exp_increasing; lra).
  pose proof (exp_pos (- x)). pose proof (exp_pos (- y)).
  apply Rmult_lt_reg_r with ((1 + exp (- x)) * (1 + exp (- y))); [nra|].
  field_simplify; lra.
Qed.

Lemma sigmoid_le (x y : R) : x <= y -> sigmoid x <= sigmoid y.
Proof.
  intros [H|H]; [left; apply sigmoid_increasing; exact H | right; subst; reflexivity].
Qed.

Lemma logit_increasing (p q : R) : 0 < p < 1 -> 0 < q < 1 -> p < q -> logit p < logit q.
Proof.
  intros Hp Hq Hpq. unfold logit. apply ln_increasing.
  - apply Rdiv_lt_0_compat; lra.
  - apply Rmult_lt_reg_r with ((1 - p) * (1 - q)); [nra|].
    field_simplify; try lra; nra.
Qed.

Lemma logit_inj_lt (p q : R) : 0 < p < 1 -> 0 < q < 1 -> logit p < logit q -> p < q.
Proof.
  intros Hp Hq H. destruct (Rlt_le_dec p q) as [|Hle]; [assumption|].
  destruct Hle as [Hlt|Heq].
  - pose proof (logit_increasing q p Hq Hp Hlt). lra.
  - subst. lra.
Qed.

(** The variance term is positive on [0,1] when ε > 0. *)
Lemma var_eps_pos (eps p : R) : 0 < eps -> 0 <= p <= 1 -> 0 < p * (1 - p) + eps.
Proof. intros He Hp. nra. Qed.

Lemma Omega_pos (eps p : R) : 0 < p * (1 - p) + eps -> 0 < Omega eps p.
Proof.
  intros H. unfold Omega. apply Rdiv_lt_0_compat; [lra|]. apply sqrt_lt_R0; exact H.
Qed.

(** Prop. 1.3, first half: Ω_ε = ω⁺_ε + ω⁻_ε. *)
Lemma Omega_sum (eps p : R) : 0 < p * (1 - p) + eps ->
  wplus eps p + wminus eps p = Omega eps p.
Proof.
  intros H. unfold wplus, wminus, Omega.
  assert (0 < sqrt (p * (1 - p) + eps)) by (apply sqrt_lt_R0; exact H).
  field. lra.
Qed.

Lemma tilt_bounds (q x : R) : 0 < q < 1 -> 0 < tilt q x < 1.
Proof.
  intros Hq. unfold tilt. pose proof (exp_pos x). split.
  - apply Rdiv_lt_0_compat; nra.
  - apply Rmult_lt_reg_r with (q * exp x + (1 - q)); [nra|].
    field_simplify; nra.
Qed.

(** The logit of a tilted PoS is shifted by exactly [x] (the heart of every recurrence). *)
Lemma logit_tilt (q x : R) : 0 < q < 1 -> logit (tilt q x) = logit q + x.
Proof.
  intros Hq. unfold logit, tilt. pose proof (exp_pos x).
  replace (q * exp x / (q * exp x + (1 - q)) / (1 - q * exp x / (q * exp x + (1 - q))))
    with (q / (1 - q) * exp x).
  2: { field. split; nra. }
  rewrite ln_mult, ln_exp; [reflexivity| |exact H].
  apply Rdiv_lt_0_compat; lra.
Qed.

Lemma tilt_sigmoid (q x : R) : 0 < q < 1 -> tilt q x = sigmoid (logit q + x).
Proof.
  intros Hq. rewrite <- logit_tilt by exact Hq.
  rewrite sigmoid_logit; [reflexivity|]. apply tilt_bounds; exact Hq.
Qed.

Lemma tilt_zero (x : R) : tilt 0 x = 0.
Proof. unfold tilt. pose proof (exp_pos x). unfold Rdiv. rewrite !Rmult_0_l. reflexivity. Qed.

Lemma tilt_one (x : R) : tilt 1 x = 1.
Proof. unfold tilt. pose proof (exp_pos x). field. lra. Qed.

(** Thm 2's printed [h] is the tilt of [p_ref] by Ω_ε(p)/β (0 < p_ref < 1). *)
Lemma h_as_tilt (beta eps pref p : R) : 0 < pref < 1 -> beta <> 0 -> 0 < p * (1 - p) + eps ->
  h beta eps pref p = tilt pref (Omega eps p / beta).
Proof.
  intros Hpr Hb Hs. unfold h, tilt, Omega.
  assert (0 < sqrt (p * (1 - p) + eps)) by (apply sqrt_lt_R0; exact Hs).
  replace (- (1 / beta) * (1 / sqrt (p * (1 - p) + eps)))
    with (- (1 / sqrt (p * (1 - p) + eps) / beta)) by (field; lra).
  rewrite exp_Ropp. pose proof (exp_pos (1 / sqrt (p * (1 - p) + eps) / beta)).
  field. repeat split; try lra; nra.
Qed.
