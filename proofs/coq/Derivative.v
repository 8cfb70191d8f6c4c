(** * Item 4: Prop. 1.2 and Lemma 1 (the derivative of h and the slope at a fixed point)

    Paper ids: [prop1.2], [lemma1], [cor-lemma1].  Derivatives are Coquelicot's [is_derive].
    (p(1-p)+ε)^{3/2} is written [s * sqrt s] with s = p(1-p)+ε. *)

From Coq Require Import Reals Ranalysis5 Lra.
From Coquelicot Require Import Coquelicot.
From GRPO Require Import Defs.
Open Scope R_scope.

(** The derivative printed in Prop. 1.2. *)
Definition dh (beta eps pref p : R) : R :=
  - h beta eps pref p * (1 - h beta eps pref p) * (1 - 2 * p)
  / (2 * beta * ((p * (1 - p) + eps) * sqrt (p * (1 - p) + eps))).

Section Slope.
Variables beta eps pref : R.
Hypothesis Hbeta : 0 < beta.
Hypothesis Hpref : 0 < pref < 1.

(** [prop1.2]: h' = −h(1−h)(1−2p) / (2β [p(1−p)+ε]^{3/2}), wherever p(1-p)+ε > 0
    (so on all of [0,1] when ε > 0). *)
Theorem prop12_derivative (p : R) : 0 < p * (1 - p) + eps ->
  is_derive (h beta eps pref) p (dh beta eps pref p).
Proof.
  intros Hs. unfold dh, h.
  replace (p * (1 - p) + eps) with (p * (1 + - p) + eps) by ring.
  assert (Hq : 0 < sqrt (p * (1 + - p) + eps)) by (apply sqrt_lt_R0; lra).
  set (E := exp (- (1 / beta) * (1 / sqrt (p * (1 + - p) + eps)))).
  assert (HE : 0 < E) by apply exp_pos.
  assert (HA : 0 < (1 - pref) / pref) by (apply Rdiv_lt_0_compat; lra).
  assert (HD : 0 < 1 + (1 - pref) / pref * E) by nra.
  assert (HD' : forall x, 1 + (1 - pref) / pref * exp x <> 0)
    by (intros x; pose proof (exp_pos x); nra).
  auto_derive.
  - repeat split; (lra || apply HD').
  - assert (Hqq : sqrt (p * (1 + - p) + eps) * sqrt (p * (1 + - p) + eps) = p * (1 + - p) + eps)
      by (apply sqrt_sqrt; lra).
    set (q := sqrt (p * (1 + - p) + eps)) in *.
    rewrite <- Hqq.
    replace (exp (- (1 / beta) * (1 * / q))) with E by (unfold E; f_equal; field; lra).
    field. repeat split; try lra. nra.
Qed.

Lemma h_bounds (p : R) : 0 < h beta eps pref p < 1.
Proof.
  unfold h. set (E := exp (- (1 / beta) * (1 / sqrt (p * (1 - p) + eps)))).
  assert (0 < E) by apply exp_pos.
  assert (0 < (1 - pref) / pref) by (apply Rdiv_lt_0_compat; lra).
  assert (0 < (1 - pref) / pref * E) by (apply Rmult_lt_0_compat; assumption).
  split; [apply Rdiv_lt_0_compat; lra|].
  set (X := (1 - pref) / pref * E) in *.
  replace (1 / (1 + X)) with (1 - X / (1 + X)) by (field; lra).
  assert (0 < X / (1 + X)) by (apply Rdiv_lt_0_compat; lra). lra.
Qed.

Lemma s32_pos (p : R) : 0 < p * (1 - p) + eps ->
  0 < (p * (1 - p) + eps) * sqrt (p * (1 - p) + eps).
Proof. intros Hs. apply Rmult_lt_0_compat; [exact Hs|apply sqrt_lt_R0, Hs]. Qed.

(** [prop1.2], the three cases: h' < 0 for p < 1/2, h' > 0 for p > 1/2, h' = 0 at p = 1/2. *)
Theorem prop12_sign (p : R) : 0 < p * (1 - p) + eps ->
  (p < 1/2 -> dh beta eps pref p < 0) /\ (1/2 < p -> 0 < dh beta eps pref p)
  /\ (p = 1/2 -> dh beta eps pref p = 0).
Proof.
  intros Hs. pose proof (h_bounds p) as [H0 H1]. pose proof (s32_pos p Hs) as H32.
  assert (Hhh : 0 < h beta eps pref p * (1 - h beta eps pref p)) by nra.
  assert (HD : 0 < 2 * beta * ((p * (1 - p) + eps) * sqrt (p * (1 - p) + eps)))
    by (apply Rmult_lt_0_compat; [lra|exact H32]).
  set (N := h beta eps pref p * (1 - h beta eps pref p)) in *.
  set (D := 2 * beta * ((p * (1 - p) + eps) * sqrt (p * (1 - p) + eps))) in *.
  assert (HI : 0 < / D) by (apply Rinv_0_lt_compat, HD).
  assert (Hdh : dh beta eps pref p = - ((N * (1 - 2 * p)) * / D)) by (unfold dh; fold D; unfold N; field; lra).
  rewrite Hdh. repeat split.
  - intros Hp. assert (0 < N * (1 - 2 * p) * / D)
      by (apply Rmult_lt_0_compat; [apply Rmult_lt_0_compat; lra|exact HI]). lra.
  - intros Hp. assert (0 < N * (2 * p - 1) * / D)
      by (apply Rmult_lt_0_compat; [apply Rmult_lt_0_compat; lra|exact HI]).
    replace (N * (1 - 2 * p)) with (- (N * (2 * p - 1))) by ring. lra.
  - intros ->. replace (1 - 2 * (1 / 2)) with 0 by field. rewrite Rmult_0_r, Rmult_0_l. ring.
Qed.

Lemma var_le_quarter (p : R) : p * (1 - p) <= 1 / 4.
Proof. pose proof (Rle_0_sqr (2 * p - 1)). unfold Rsqr in *. lra. Qed.

Lemma one_over_one_plus_le (A x y : R) : 0 < A -> x <= y ->
  1 / (1 + A * exp y) <= 1 / (1 + A * exp x).
Proof.
  intros HA Hxy. assert (exp x <= exp y) by (destruct Hxy as [H|H]; [left; apply exp_increasing, H|right; subst; reflexivity]).
  pose proof (exp_pos x). pose proof (exp_pos y).
  unfold Rdiv. rewrite !Rmult_1_l. apply Rinv_le_contravar; nra.
Qed.

(** [prop1.2], last case: on [0,1], h is smallest at p = 1/2. *)
Theorem prop12_min_at_half (p : R) : 0 < eps -> 0 <= p <= 1 ->
  h beta eps pref (1 / 2) <= h beta eps pref p.
Proof.
  intros He Hp. pose proof (var_eps_pos eps p He Hp) as Hs. unfold h.
  assert (Hhalf : 1 / 2 * (1 - 1 / 2) + eps = 1 / 4 + eps) by field. rewrite Hhalf.
  assert (Hq1 : sqrt (p * (1 - p) + eps) <= sqrt (1 / 4 + eps))
    by (apply sqrt_le_1_alt; pose proof (var_le_quarter p); lra).
  assert (Hq0 : 0 < sqrt (p * (1 - p) + eps)) by (apply sqrt_lt_R0; lra).
  assert (Hinv : 1 / sqrt (1 / 4 + eps) <= 1 / sqrt (p * (1 - p) + eps))
    by (unfold Rdiv at 1 2; apply Rmult_le_compat_l; [lra|apply Rinv_le_contravar; assumption]).
  assert (Hb : 0 < 1 / beta) by (apply Rdiv_lt_0_compat; lra).
  apply one_over_one_plus_le; [apply Rdiv_lt_0_compat; lra|].
  nra.
Qed.

(** [lemma1]: at a fixed point h(p* ) = p*, h'(p* ) = p*(1-p* )(2p*-1) / (2β [p*(1-p* )+ε]^{3/2}). *)
Theorem lemma1_slope_at_fixed_point (ps : R) : h beta eps pref ps = ps ->
  dh beta eps pref ps
  = ps * (1 - ps) * (2 * ps - 1) / (2 * beta * ((ps * (1 - ps) + eps) * sqrt (ps * (1 - ps) + eps))).
Proof. intros Hfix. unfold dh. rewrite Hfix. unfold Rdiv. ring. Qed.

(** The lower bound on β of [cor-lemma1] / Fig. 4. *)
Definition Bbound (eps ps : R) : R :=
  ps * (1 - ps) * Rabs (2 * ps - 1) / (2 * ((ps * (1 - ps) + eps) * sqrt (ps * (1 - ps) + eps))).

(** [cor-lemma1]: at a fixed point in [0,1], |h'(p* )| = B(p* )/β, so |h'(p* )| < 1 iff β > B(p* ). *)
Theorem cor_lemma1 (ps : R) : 0 < eps -> 0 <= ps <= 1 -> h beta eps pref ps = ps ->
  Rabs (dh beta eps pref ps) = Bbound eps ps / beta
  /\ (Rabs (dh beta eps pref ps) < 1 <-> Bbound eps ps < beta).
Proof.
  intros He Hp Hfix. pose proof (s32_pos ps (var_eps_pos eps ps He Hp)) as H32.
  assert (Heq : Rabs (dh beta eps pref ps) = Bbound eps ps / beta).
  { rewrite lemma1_slope_at_fixed_point by exact Hfix. unfold Bbound.
    assert (Hpp : 0 <= ps * (1 - ps)) by nra.
    set (S := (ps * (1 - ps) + eps) * sqrt (ps * (1 - ps) + eps)) in *.
    replace (ps * (1 - ps) * (2 * ps - 1) / (2 * beta * S))
      with ((2 * ps - 1) * (ps * (1 - ps) / (2 * beta * S))) by (field; lra).
    rewrite Rabs_mult, (Rabs_pos_eq (ps * (1 - ps) / _)).
    - field. lra.
    - apply Rmult_le_pos; [exact Hpp|]. left. apply Rinv_0_lt_compat.
      apply Rmult_lt_0_compat; [lra|exact H32]. }
  split; [exact Heq|]. rewrite Heq. split; intros H.
  - apply Rmult_lt_reg_r with (/ beta); [apply Rinv_0_lt_compat; lra|].
    rewrite Rinv_r by lra. exact H.
  - apply Rmult_lt_reg_r with beta; [lra|]. unfold Rdiv. rewrite Rmult_assoc, Rinv_l by lra. lra.
Qed.

(** [prop1.1]: h is continuous on [0,1] (it is differentiable there) and has a fixed point in
    [0,1] (IVT on p − h(p), which is < 0 at 0 and > 0 at 1; the paper cites Brouwer). *)
Lemma h_continuous (p : R) : 0 < eps -> 0 <= p <= 1 -> continuity_pt (h beta eps pref) p.
Proof.
  intros He Hp. apply derivable_continuous_pt. exists (dh beta eps pref p).
  apply is_derive_Reals, prop12_derivative. nra.
Qed.

Theorem prop11_fixed_point_exists : 0 < eps -> exists ps, 0 <= ps <= 1 /\ h beta eps pref ps = ps.
Proof.
  intros He. pose proof (h_bounds 0) as H0. pose proof (h_bounds 1) as H1.
  destruct (IVT_interv (fun y => y - h beta eps pref y) 0 1) as [x [Hx Hz]].
  - intros a Ha. apply continuity_pt_minus; [apply continuity_pt_id|apply h_continuous; lra].
  - lra.
  - lra.
  - lra.
  - exists x. split; [exact Hx|lra].
Qed.
End Slope.
