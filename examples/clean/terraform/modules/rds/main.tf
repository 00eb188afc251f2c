# PostgreSQL for orders-api: private, encrypted with a rotated key, backed up for two weeks,
# protected from deletion, credentials in Secrets Manager.

resource "aws_kms_key" "db" {
  description         = "${var.identifier} storage"
  enable_key_rotation = true
}

resource "aws_security_group" "db" {
  name   = "${var.identifier}-db"
  vpc_id = var.vpc_id

  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [var.app_security_group_id]
  }
}

resource "aws_db_instance" "main" {
  identifier                  = var.identifier
  engine                      = "postgres"
  engine_version              = "15.5"
  instance_class              = var.instance_class
  allocated_storage           = 50
  storage_encrypted           = true
  kms_key_id                  = aws_kms_key.db.arn
  username                    = "orders_admin"
  manage_master_user_password = true
  vpc_security_group_ids      = [aws_security_group.db.id]
  publicly_accessible         = false
  backup_retention_period     = var.backup_retention_days
  deletion_protection         = true
}
