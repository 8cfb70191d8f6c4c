(** * Item 1: the two-class reduction and the PoS recurrence on a finite outcome space

    Paper ids: [thm2] (p_n = h(p_{n-1})), [prop1.3] / [sec3.1-odds] (its logit form),
    [thm8.2] with the 1/β restored, [thm4] (mirror recurrence), [sec5-ref] / [sec5-mirror]
    (mean-only), and [thm9] / [table1-row5-recurrence] / [table1-row6-recurrence] with the
    Rényi correction shown to be 0 from π_0 = π_ref.

    Reading.  One prompt; a finite outcome space given as a list [outcomes]; a binary reward
    [r]; policies are functions [Out -> R]; expectations are finite sums.  The optimal policy of
    each step is taken in the Gibbs form [anchor · exp(A/β) / Z] (its optimality is the topic
    of [Gibbs.v]).  The weights are any functions [wp wm : R -> R] of the previous PoS, so
    every statement covers mean+variance (ω⁺_ε, ω⁻_ε) and mean-only (1-p, p) at once. *)

From Coq Require Import Reals Lra List.
From GRPO Require Import Defs.
Import ListNotations.
Open Scope R_scope.

(** ** Finite sums over a list *)
Section Sums.
Context {Out : Type}.

Fixpoint sumL (f : Out -> R) (l : list Out) : R :=
  match l with [] => 0 | x :: t => f x + sumL f t end.

Lemma sumL_plus (f g : Out -> R) l : sumL (fun o => f o + g o) l = sumL f l + sumL g l.
Proof. induction l; simpl; lra. Qed.

Lemma sumL_scal (c : R) (f : Out -> R) l : sumL (fun o => c * f o) l = c * sumL f l.
Proof. induction l; simpl; [ring|]. rewrite IHl. ring. Qed.

Lemma sumL_ext_in (f g : Out -> R) l : (forall o, In o l -> f o = g o) -> sumL f l = sumL g l.
Proof.
  induction l as [|x t IH]; intros Hfg; simpl; [reflexivity|].
  rewrite (Hfg x (or_introl eq_refl)), IH; [reflexivity|].
  intros o Ho. apply Hfg. right. exact Ho.
Qed.

Lemma sumL_pos (f : Out -> R) l : (forall o, In o l -> 0 <= f o) -> 0 <= sumL f l.
Proof.
  induction l as [|x t IH]; intros Hf; simpl; [lra|].
  pose proof (Hf x (or_introl eq_refl)).
  assert (0 <= sumL f t) by (apply IH; intros o Ho; apply Hf; right; exact Ho). lra.
Qed.

Lemma sumL_le (f g : Out -> R) l : (forall o, In o l -> f o <= g o) -> sumL f l <= sumL g l.
Proof.
  induction l as [|x t IH]; intros Hf; simpl; [lra|].
  pose proof (Hf x (or_introl eq_refl)).
  assert (sumL f t <= sumL g t) by (apply IH; intros o Ho; apply Hf; right; exact Ho). lra.
Qed.
End Sums.

Section FiniteSpace.
Context {Out : Type}.
Variable outcomes : list Out.        (** the finite outcome space of one prompt *)
Variable r : Out -> bool.            (** the binary verifiable reward *)

Definition ind (o : Out) : R := if r o then 1 else 0.
Definition mass (pi : Out -> R) : R := sumL pi outcomes.
(** eq. (2)/(7): the probability of success of a policy. *)
Definition PoS (pi : Out -> R) : R := sumL (fun o => pi o * ind o) outcomes.

(** A policy with full support: positive on every outcome, total mass 1. *)
Definition policy (pi : Out -> R) : Prop :=
  (forall o, In o outcomes -> 0 < pi o) /\ mass pi = 1.

(** A success and a failure exist (otherwise p_ref ∈ {0,1}). *)
Definition nondegenerate (pi : Out -> R) : Prop := 0 < PoS pi < 1.

(** The advantage of eq. (10): +ω⁺ on a success, −ω⁻ on a failure. *)
Definition adv (wp wm : R) (o : Out) : R := if r o then wp else - wm.

(** The Gibbs policy [anchor(o) · exp(A(o)/β) / Z] of Thm 1 / Thm 8 (1/β restored). *)
Definition Zgibbs (anchor : Out -> R) (beta wp wm : R) : R :=
  sumL (fun o => anchor o * exp (adv wp wm o / beta)) outcomes.
Definition gibbs (anchor : Out -> R) (beta wp wm : R) (o : Out) : R :=
  anchor o * exp (adv wp wm o / beta) / Zgibbs anchor beta wp wm.

Lemma PoS_le_mass (pi : Out -> R) : (forall o, In o outcomes -> 0 <= pi o) -> PoS pi <= mass pi.
Proof.
  intros H. unfold PoS, mass. apply sumL_le. intros o Ho. specialize (H o Ho).
  unfold ind. destruct (r o); lra.
Qed.

(** The two-class reduction of Z: only the success mass of the anchor matters. *)
Lemma Zgibbs_two_class (anchor : Out -> R) (beta wp wm : R) :
  Zgibbs anchor beta wp wm
  = PoS anchor * exp (wp / beta) + (mass anchor - PoS anchor) * exp (- wm / beta).
Proof.
  unfold Zgibbs, PoS, mass. induction outcomes as [|x t IH]; simpl; [ring|].
  rewrite IH. unfold adv, ind. destruct (r x); unfold Rdiv; rewrite ?Ropp_mult_distr_l; ring.
Qed.

Lemma PoS_gibbs_num (anchor : Out -> R) (beta wp wm : R) :
  sumL (fun o => anchor o * exp (adv wp wm o / beta) * ind o) outcomes
  = PoS anchor * exp (wp / beta).
Proof.
  unfold PoS. induction outcomes as [|x t IH]; simpl; [ring|].
  rewrite IH. unfold adv, ind. destruct (r x); ring.
Qed.

Lemma PoS_bounds (pi : Out -> R) : policy pi -> 0 <= PoS pi <= 1.
Proof.
  intros [Hpos Hmass]. split.
  - unfold PoS. apply sumL_pos. intros o Ho. pose proof (Hpos o Ho). unfold ind. destruct (r o); lra.
  - rewrite <- Hmass. apply PoS_le_mass. intros o Ho. left. apply Hpos, Ho.
Qed.

Lemma Zgibbs_pos (anchor : Out -> R) (beta wp wm : R) : policy anchor -> 0 < Zgibbs anchor beta wp wm.
Proof.
  intros Hpol. destruct (PoS_bounds anchor Hpol) as [H0 H1]. destruct Hpol as [_ Hmass].
  rewrite Zgibbs_two_class, Hmass.
  pose proof (exp_pos (wp / beta)). pose proof (exp_pos (- wm / beta)).
  destruct (Rle_lt_or_eq_dec 0 (PoS anchor) H0) as [Hp|Hp]; [nra|rewrite <- Hp; lra].
Qed.

(** Thm 8, item 2, with the 1/β restored: the PoS of the Gibbs policy is the anchor's PoS
    tilted by (ω⁺+ω⁻)/β, i.e. logit p* = logit p° + Ω/β. *)
Theorem PoS_gibbs (anchor : Out -> R) (beta wp wm : R) :
  policy anchor -> beta <> 0 ->
  PoS (gibbs anchor beta wp wm) = tilt (PoS anchor) ((wp + wm) / beta).
Proof.
  intros Hpol Hb. destruct (PoS_bounds anchor Hpol) as [H0 Hle]. destruct Hpol as [Hpos Hmass].
  unfold gibbs. unfold PoS at 1.
  replace (sumL _ outcomes) with
    (sumL (fun o => anchor o * exp (adv wp wm o / beta) * ind o) outcomes / Zgibbs anchor beta wp wm).
  2: { unfold Rdiv. rewrite Rmult_comm, <- sumL_scal. apply sumL_ext_in. intros o _. ring. }
  rewrite PoS_gibbs_num, Zgibbs_two_class, Hmass. unfold tilt.
  replace ((wp + wm) / beta) with (wp / beta + wm / beta) by (field; exact Hb).
  rewrite exp_plus. replace (- wm / beta) with (- (wm / beta)) by (field; exact Hb).
  rewrite exp_Ropp. set (a := exp (wp / beta)). set (b := exp (wm / beta)).
  assert (0 < a) by apply exp_pos. assert (0 < b) by apply exp_pos.
  assert (0 < a * b) by (apply Rmult_lt_0_compat; assumption).
  assert (0 < / b) by (apply Rinv_0_lt_compat; assumption).
  assert (0 < PoS anchor * (a * b) + (1 - PoS anchor))
    by (destruct (Rle_lt_or_eq_dec 0 (PoS anchor) H0) as [Hp|Hp]; [nra|rewrite <- Hp; lra]).
  assert (0 < PoS anchor * a + (1 - PoS anchor) * / b)
    by (destruct (Rle_lt_or_eq_dec 0 (PoS anchor) H0) as [Hp|Hp]; [nra|rewrite <- Hp; lra]).
  field. lra.
Qed.

Theorem logit_PoS_gibbs (anchor : Out -> R) (beta wp wm : R) :
  policy anchor -> nondegenerate anchor -> beta <> 0 ->
  logit (PoS (gibbs anchor beta wp wm)) = logit (PoS anchor) + (wp + wm) / beta.
Proof. intros Hp Hn Hb. rewrite PoS_gibbs by assumption. apply logit_tilt, Hn. Qed.

Lemma gibbs_policy (anchor : Out -> R) (beta wp wm : R) :
  policy anchor -> policy (gibbs anchor beta wp wm).
Proof.
  intros Hpol. pose proof (Zgibbs_pos anchor beta wp wm Hpol) as HZ. destruct Hpol as [Hpos Hmass].
  split.
  - intros o Ho. unfold gibbs. apply Rdiv_lt_0_compat; [|exact HZ].
    apply Rmult_lt_0_compat; [apply Hpos, Ho|apply exp_pos].
  - unfold mass, gibbs. unfold Rdiv.
    transitivity (/ Zgibbs anchor beta wp wm * Zgibbs anchor beta wp wm).
    + unfold Zgibbs at 3. rewrite <- sumL_scal. apply sumL_ext_in. intros o _. unfold Rdiv. ring.
    + field. lra.
Qed.


(** ------------------------------------------------------------------ *)
(** ** Thm 2 and Prop. 1.3: reference KL (α = 1), mean+variance weights *)
Section Reference.
Variable pi_ref : Out -> R.
Hypothesis Href : policy pi_ref.
Hypothesis Hnd : nondegenerate pi_ref.       (** 0 < p_ref < 1 *)
Variables beta eps : R.
Hypothesis Hbeta : 0 < beta.
Hypothesis Heps : 0 < eps.

(** (GRPO Iterations) with π_0 = π_ref and the Gibbs optimum of Thm 1 at each step. *)
Fixpoint pol_ref (n : nat) : Out -> R :=
  match n with
  | O => pi_ref
  | S m => gibbs pi_ref beta (wplus eps (PoS (pol_ref m))) (wminus eps (PoS (pol_ref m)))
  end.

Lemma pol_ref_policy n : policy (pol_ref n).
Proof. destruct n; simpl; [exact Href|apply gibbs_policy, Href]. Qed.

(** [thm2]: p_n = h_{ε,p_ref}(p_{n-1}) for every n ≥ 1, with p_0 = p_ref. *)
Theorem thm2_recurrence (n : nat) :
  PoS (pol_ref (S n)) = h beta eps (PoS pi_ref) (PoS (pol_ref n)).
Proof.
  simpl. rewrite PoS_gibbs by (exact Href || lra).
  destruct (PoS_bounds _ (pol_ref_policy n)) as [H0 H1].
  assert (Hs : 0 < PoS (pol_ref n) * (1 - PoS (pol_ref n)) + eps) by (apply var_eps_pos; lra).
  rewrite h_as_tilt by (exact Hnd || lra || exact Hs).
  rewrite Omega_sum by exact Hs. reflexivity.
Qed.

(** [prop1.3] / [sec3.1-odds], eq. (15): logit p_n = logit p_ref + Ω_ε(p_{n-1})/β. *)
Theorem prop13_logit_recurrence (n : nat) :
  logit (PoS (pol_ref (S n))) = logit (PoS pi_ref) + Omega eps (PoS (pol_ref n)) / beta.
Proof.
  rewrite thm2_recurrence.
  destruct (PoS_bounds _ (pol_ref_policy n)) as [H0 H1].
  rewrite h_as_tilt by (exact Hnd || lra || (apply var_eps_pos; lra)).
  apply logit_tilt, Hnd.
Qed.
End Reference.

(** [prop1.3] for every p (not only along the orbit): h = σ(logit p_ref + Ω_ε(p)/β). *)
Theorem prop13_h_sigmoid (beta eps pref p : R) :
  0 < pref < 1 -> 0 < beta -> 0 < eps -> 0 <= p <= 1 ->
  h beta eps pref p = sigmoid (logit pref + Omega eps p / beta)
  /\ logit (h beta eps pref p) = logit pref + Omega eps p / beta.
Proof.
  intros Hpr Hb He Hp.
  rewrite h_as_tilt by (exact Hpr || lra || (apply var_eps_pos; lra)).
  split; [apply tilt_sigmoid, Hpr | apply logit_tilt, Hpr].
Qed.

(** ------------------------------------------------------------------ *)
(** ** Thm 4 (mirror, α = 0) and §5 (mean-only), any weights *)
Section Mirror.
Variable pi_ref : Out -> R.
Hypothesis Href : policy pi_ref.
Hypothesis Hnd : nondegenerate pi_ref.
Variable beta : R.
Hypothesis Hbeta : 0 < beta.
Variables wp wm : R -> R.                 (** the weights ω⁺(p), ω⁻(p) *)

Fixpoint pol_mirror (n : nat) : Out -> R :=
  match n with
  | O => pi_ref
  | S m => gibbs (pol_mirror m) beta (wp (PoS (pol_mirror m))) (wm (PoS (pol_mirror m)))
  end.

Lemma pol_mirror_policy n : policy (pol_mirror n).
Proof. induction n; simpl; [exact Href|apply gibbs_policy, IHn]. Qed.

Lemma pol_mirror_nondegenerate n : nondegenerate (pol_mirror n).
Proof.
  induction n; simpl; [exact Hnd|]. unfold nondegenerate.
  rewrite PoS_gibbs by (apply pol_mirror_policy || lra). apply tilt_bounds, IHn.
Qed.

(** [thm4], eq. (11): logit p_n = logit p_{n-1} + Ω(p_{n-1})/β, Ω = ω⁺ + ω⁻. *)
Theorem thm4_mirror_recurrence (n : nat) :
  logit (PoS (pol_mirror (S n)))
  = logit (PoS (pol_mirror n)) + (wp (PoS (pol_mirror n)) + wm (PoS (pol_mirror n))) / beta.
Proof.
  simpl. apply logit_PoS_gibbs; [apply pol_mirror_policy|apply pol_mirror_nondegenerate|lra].
Qed.
End Mirror.

(** ------------------------------------------------------------------ *)
(** ** Thm 9 (two KL), with the Rényi correction shown to be 0 from π_0 = π_ref *)

Definition same (f g : Out -> R) : Prop := forall o, In o outcomes -> f o = g o.
Definition normalize (f : Out -> R) (o : Out) : R := f o / mass f.
(** The anchor [π_ref · e^{t·1_S}] normalised: the only policies the iteration visits. *)
Definition tiltp (pi : Out -> R) (t : R) : Out -> R := normalize (fun o => pi o * exp (t * ind o)).
(** Lemma 2's geometric mean π̄ ∝ π_1^α π_2^(1-α) (positive policies). *)
Definition geo (alpha : R) (pi1 pi2 : Out -> R) : Out -> R :=
  normalize (fun o => exp (alpha * ln (pi1 o) + (1 - alpha) * ln (pi2 o))).

Lemma mass_ext f g : same f g -> mass f = mass g.
Proof. intros H. apply sumL_ext_in, H. Qed.
Lemma PoS_ext f g : same f g -> PoS f = PoS g.
Proof. intros H. unfold PoS. apply sumL_ext_in. intros o Ho. rewrite (H o Ho). reflexivity. Qed.

Lemma normalize_scale (c : R) (f : Out -> R) : c <> 0 ->
  same (normalize (fun o => c * f o)) (normalize f).
Proof.
  intros Hc o _. unfold normalize, mass. rewrite sumL_scal.
  destruct (Req_dec (sumL f outcomes) 0) as [Z|Z].
  - rewrite Z, Rmult_0_r. unfold Rdiv. rewrite Rinv_0, !Rmult_0_r. reflexivity.
  - field. split; assumption.
Qed.

Lemma mass_tiltraw (pi : Out -> R) (t : R) :
  mass (fun o => pi o * exp (t * ind o)) = PoS pi * exp t + (mass pi - PoS pi).
Proof.
  unfold mass, PoS. induction outcomes as [|x l IH]; simpl; [ring|].
  rewrite IH. unfold ind. destruct (r x); rewrite ?Rmult_1_r, ?Rmult_0_r, ?exp_0; ring.
Qed.

Lemma PoS_tiltraw (pi : Out -> R) (t : R) :
  PoS (fun o => pi o * exp (t * ind o)) = PoS pi * exp t.
Proof.
  unfold PoS. induction outcomes as [|x l IH]; simpl; [ring|].
  rewrite IH. unfold ind. destruct (r x); rewrite ?Rmult_1_r, ?Rmult_0_r, ?exp_0; ring.
Qed.

Lemma tiltp_mass_pos (pi : Out -> R) (t : R) : policy pi -> 0 < mass (fun o => pi o * exp (t * ind o)).
Proof.
  intros Hp. destruct (PoS_bounds pi Hp) as [H0 H1]. rewrite mass_tiltraw. destruct Hp as [_ ->].
  pose proof (exp_pos t). destruct (Rle_lt_or_eq_dec 0 (PoS pi) H0) as [Hq|Hq]; [nra|rewrite <- Hq; lra].
Qed.

Lemma PoS_normalize (f : Out -> R) : PoS (normalize f) = PoS f / mass f.
Proof.
  unfold PoS, normalize. unfold Rdiv at 2. rewrite Rmult_comm, <- sumL_scal.
  apply sumL_ext_in. intros o _. unfold Rdiv. ring.
Qed.

Lemma PoS_tiltp (pi : Out -> R) (t : R) : policy pi -> PoS (tiltp pi t) = tilt (PoS pi) t.
Proof.
  intros Hp. unfold tiltp. rewrite PoS_normalize, PoS_tiltraw, mass_tiltraw.
  destruct Hp as [_ ->]. unfold tilt. reflexivity.
Qed.

Lemma tiltp_policy (pi : Out -> R) (t : R) : policy pi -> policy (tiltp pi t).
Proof.
  intros Hp. pose proof (tiltp_mass_pos pi t Hp) as HM. split.
  - intros o Ho. unfold tiltp, normalize. apply Rdiv_lt_0_compat; [|exact HM].
    apply Rmult_lt_0_compat; [apply (proj1 Hp), Ho|apply exp_pos].
  - unfold mass at 1, tiltp, normalize. unfold Rdiv. rewrite (sumL_ext_in _ (fun o => / mass (fun o => pi o * exp (t * ind o)) * (pi o * exp (t * ind o)))).
    + rewrite sumL_scal. fold (mass (fun o => pi o * exp (t * ind o))). field. lra.
    + intros o _. ring.
Qed.

(** One step of the two-KL iteration maps the tilted family into itself:
    anchor π̄ ∝ π_ref^α (π_ref e^{t 1_S})^(1-α) = tilt by (1-α) t, then the Gibbs factor adds Ω/β. *)
Lemma geo_tiltp (alpha t : R) (pi_ref : Out -> R) : policy pi_ref ->
  same (geo alpha pi_ref (tiltp pi_ref t)) (tiltp pi_ref ((1 - alpha) * t)).
Proof.
  intros Hp. pose proof (tiltp_mass_pos pi_ref t Hp) as HM.
  set (M := mass (fun o => pi_ref o * exp (t * ind o))) in *.
  set (c := exp (- ((1 - alpha) * ln M))).
  assert (Hc : c <> 0) by (pose proof (exp_pos (- ((1 - alpha) * ln M))); unfold c; lra).
  assert (Hpt : forall o, In o outcomes ->
            exp (alpha * ln (pi_ref o) + (1 - alpha) * ln (tiltp pi_ref t o))
            = c * (pi_ref o * exp ((1 - alpha) * t * ind o))).
  { intros o Ho. pose proof (proj1 Hp o Ho) as Hpo. unfold tiltp, normalize. fold M.
    assert (He : 0 < exp (t * ind o)) by apply exp_pos.
    assert (Hn : 0 < pi_ref o * exp (t * ind o)) by (apply Rmult_lt_0_compat; assumption).
    unfold Rdiv. rewrite ln_mult, ln_Rinv, ln_mult, ln_exp
      by (assumption || apply Rinv_0_lt_compat; assumption).
    replace (alpha * ln (pi_ref o) + (1 - alpha) * (ln (pi_ref o) + t * ind o + - ln M))
      with (ln (pi_ref o) + (1 - alpha) * t * ind o + - ((1 - alpha) * ln M)) by ring.
    rewrite !exp_plus, exp_ln by exact Hpo. unfold c. ring. }
  intros o Ho. unfold geo, tiltp.
  rewrite <- (normalize_scale c (fun o => pi_ref o * exp ((1 - alpha) * t * ind o)) Hc o Ho).
  unfold normalize. f_equal.
  - apply Hpt, Ho.
  - apply mass_ext. intros o' Ho'. apply Hpt, Ho'.
Qed.

Lemma same_refl f : same f f.
Proof. intros o _. reflexivity. Qed.
Lemma same_sym f g : same f g -> same g f.
Proof. intros H o Ho. symmetry. apply H, Ho. Qed.
Lemma same_trans f g k : same f g -> same g k -> same f k.
Proof. intros H1 H2 o Ho. rewrite (H1 o Ho). apply H2, Ho. Qed.

Lemma normalize_ext f g : same f g -> same (normalize f) (normalize g).
Proof. intros H o Ho. unfold normalize. rewrite (H o Ho), (mass_ext f g H). reflexivity. Qed.

Lemma tiltp_ext p1 p2 t : same p1 p2 -> same (tiltp p1 t) (tiltp p2 t).
Proof. intros H. apply normalize_ext. intros o Ho. rewrite (H o Ho). reflexivity. Qed.

Lemma geo_ext alpha p1 p2 p2' : same p2 p2' -> same (geo alpha p1 p2) (geo alpha p1 p2').
Proof. intros H. apply normalize_ext. intros o Ho. rewrite (H o Ho). reflexivity. Qed.

Lemma policy_ext p1 p2 : same p1 p2 -> policy p1 -> policy p2.
Proof.
  intros H [Hpos Hm]. split.
  - intros o Ho. rewrite <- (H o Ho). apply Hpos, Ho.
  - rewrite <- (mass_ext p1 p2 H). exact Hm.
Qed.

(** The Gibbs factor exp(A/β) is, up to the constant e^{-ω⁻/β}, the tilt e^{(ω⁺+ω⁻)/β · 1_S}. *)
Lemma gibbs_tiltp anchor beta wp wm : beta <> 0 ->
  same (gibbs anchor beta wp wm) (tiltp anchor ((wp + wm) / beta)).
Proof.
  intros Hb. set (c := exp (- wm / beta)).
  assert (Hc : c <> 0) by (pose proof (exp_pos (- wm / beta)); unfold c; lra).
  apply same_trans with (normalize (fun o => c * (anchor o * exp ((wp + wm) / beta * ind o)))).
  - apply normalize_ext. intros o _. unfold adv, ind, c. destruct (r o).
    + replace (exp (wp / beta)) with (exp (- wm / beta) * exp ((wp + wm) / beta * 1))
        by (rewrite <- exp_plus; f_equal; field; exact Hb).
      ring.
    + rewrite Rmult_0_r, exp_0. ring.
  - apply normalize_scale, Hc.
Qed.

Lemma tiltp_tiltp pi s u : policy pi -> same (tiltp (tiltp pi s) u) (tiltp pi (s + u)).
Proof.
  intros Hp. pose proof (tiltp_mass_pos pi s Hp) as HM.
  set (M := mass (fun o => pi o * exp (s * ind o))) in *.
  apply same_trans with (normalize (fun o => / M * (pi o * exp ((s + u) * ind o)))).
  - apply normalize_ext. intros o _. unfold tiltp, normalize. fold M.
    rewrite Rmult_plus_distr_r, exp_plus. unfold Rdiv. ring.
  - apply normalize_scale. apply Rinv_neq_0_compat. lra.
Qed.

Lemma tiltp_zero pi : policy pi -> same (tiltp pi 0) pi.
Proof.
  intros [_ Hm] o _. unfold tiltp, normalize.
  rewrite (mass_ext _ pi) by (intros o' _; rewrite Rmult_0_l, exp_0; ring).
  rewrite Hm, Rmult_0_l, exp_0. field.
Qed.

Section TwoKL.
Variable pi_ref : Out -> R.
Hypothesis Href : policy pi_ref.
Hypothesis Hnd : nondegenerate pi_ref.
Variables alpha beta : R.
Hypothesis Hbeta : 0 < beta.
Variables wp wm : R -> R.

(** Eq. (17): π_n = argmax E_π A_{n-1} − β[α KL(π‖π_ref) + (1−α) KL(π‖π_{n-1})], in the Gibbs form
    of Lemma 2 / eq. (18): anchor π̃ ∝ π_ref^α π_{n-1}^{1-α}. *)
Fixpoint pol_mix (n : nat) : Out -> R :=
  match n with
  | O => pi_ref
  | S m => gibbs (geo alpha pi_ref (pol_mix m)) beta (wp (PoS (pol_mix m))) (wm (PoS (pol_mix m)))
  end.

Lemma pol_mix_step m t : same (pol_mix m) (tiltp pi_ref t) ->
  same (pol_mix (S m)) (tiltp pi_ref ((1 - alpha) * t + (wp (PoS (pol_mix m)) + wm (PoS (pol_mix m))) / beta)).
Proof.
  intros H. simpl. set (x := (wp (PoS (pol_mix m)) + wm (PoS (pol_mix m))) / beta).
  assert (Hg : same (geo alpha pi_ref (pol_mix m)) (tiltp pi_ref ((1 - alpha) * t)))
    by (apply same_trans with (geo alpha pi_ref (tiltp pi_ref t)); [apply geo_ext, H|apply geo_tiltp, Href]).
  apply same_trans with (tiltp (geo alpha pi_ref (pol_mix m)) x); [apply gibbs_tiltp; lra|].
  apply same_trans with (tiltp (tiltp pi_ref ((1 - alpha) * t)) x); [apply tiltp_ext, Hg|].
  apply tiltp_tiltp, Href.
Qed.

(** π_n stays in the tilted family π_ref e^{t 1_S}/Z: it keeps π_ref's conditional laws on
    successes and on failures. *)
Lemma pol_mix_tilted n : exists t, same (pol_mix n) (tiltp pi_ref t).
Proof.
  induction n as [|m [t Ht]].
  - exists 0. apply same_sym, tiltp_zero, Href.
  - eexists. apply pol_mix_step, Ht.
Qed.

Lemma pol_mix_nondegenerate n : nondegenerate (pol_mix n).
Proof.
  destruct (pol_mix_tilted n) as [t Ht]. unfold nondegenerate.
  rewrite (PoS_ext _ _ Ht), PoS_tiltp by exact Href. apply tilt_bounds, Hnd.
Qed.

(** [thm9] corrected: logit p_n = α logit p_ref + (1-α) logit p_{n-1} + Ω(p_{n-1})/β, i.e. the
    Rényi correction Δ_R is 0 along the iteration started at π_0 = π_ref; Ω = ω⁺ + ω⁻. *)
Theorem thm9_two_kl_recurrence (n : nat) :
  logit (PoS (pol_mix (S n)))
  = alpha * logit (PoS pi_ref) + (1 - alpha) * logit (PoS (pol_mix n))
    + (wp (PoS (pol_mix n)) + wm (PoS (pol_mix n))) / beta.
Proof.
  destruct (pol_mix_tilted n) as [t Ht].
  pose proof (pol_mix_step n t Ht) as Hs.
  rewrite (PoS_ext _ _ Hs), PoS_tiltp, logit_tilt by (exact Href || exact Hnd).
  rewrite (PoS_ext _ _ Ht), PoS_tiltp, logit_tilt by (exact Href || exact Hnd).
  ring.
Qed.
End TwoKL.

(** The same with the two KL coefficients β₁ = αβ (on KL(π‖π_ref)) and β₂ = (1-α)β
    (on KL(π‖π_{n-1})): (β₁+β₂) L_n = β₁ L_ref + β₂ L_{n-1} + Ω(p_{n-1}). *)
Theorem two_kl_recurrence_coefficients (pi_ref : Out -> R) (b1 b2 : R) (wp wm : R -> R) (n : nat) :
  policy pi_ref -> nondegenerate pi_ref -> 0 <= b1 -> 0 <= b2 -> 0 < b1 + b2 ->
  let alpha := b1 / (b1 + b2) in
  let L k := logit (PoS (pol_mix pi_ref alpha (b1 + b2) wp wm k)) in
  (b1 + b2) * L (S n) = b1 * logit (PoS pi_ref) + b2 * L n
                        + (wp (PoS (pol_mix pi_ref alpha (b1 + b2) wp wm n))
                           + wm (PoS (pol_mix pi_ref alpha (b1 + b2) wp wm n))).
Proof.
  intros Hp Hn H1 H2 Hb alpha L. unfold L.
  rewrite thm9_two_kl_recurrence by assumption. unfold alpha. field. lra.
Qed.

End FiniteSpace.
